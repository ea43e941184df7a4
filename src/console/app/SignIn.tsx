import { useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import type { StaffUserDto } from '../../shared/api/auth';
import type { ApiError } from '../api/http';
import { login } from '../api/session.queries';

/** The sign-in page: email and password, the server's message on failure. */
export function SignIn({
  message,
  onSignedIn,
}: {
  message: string | null;
  onSignedIn(answer: { user: StaffUserDto; csrfToken: string }): void;
}): ReactElement {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = 'Sign in · Deskside';
    emailRef.current?.focus();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await login(email, password);
      if (answer.signedIn) return onSignedIn(answer);
      setError('That email and password do not match an active account.');
    } catch (e) {
      setError((e as ApiError).message);
    }
    setBusy(false);
  };

  return (
    <main className="signin">
      <form className="card signin-card stack" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <div className="signin-brand" aria-hidden="true">
          ◆ Deskside
        </div>
        <h1 id="signin-title">Sign in to the help desk</h1>
        {message && (
          <div className="alert alert-info" role="status">
            {message}
          </div>
        )}
        {error && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
        <label className="field">
          <span>Email</span>
          <input
            ref={emailRef}
            className="input"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            className="input"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button className="btn btn-primary signin-submit" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
