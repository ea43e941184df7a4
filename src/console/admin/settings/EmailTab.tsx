import { useEffect, useState, type FormEvent, type ReactElement } from 'react';
import type { MailSettingsDto, PutMailSettingsRequest, TestMailResponse } from '../../../shared/api/mail';
import type { ApiError } from '../../api/http';
import { useMailSettings, useSaveMailSettings, useSendTestMail } from '../../api/mail.queries';
import { asApiError } from '../../api/query-client';
import { ErrorAlert } from '../common/ui';
import '../../mail/mail.css';
import { EmailOutbox } from './EmailOutbox';

type Form = Omit<PutMailSettingsRequest, 'password'> & { password: string };

const formOf = (s: MailSettingsDto): Form => ({
  host: s.host,
  port: s.port,
  tlsMode: s.tlsMode,
  username: s.username,
  password: '',
  fromName: s.fromName,
  fromAddress: s.fromAddress,
  publicUrl: s.publicUrl,
  replyDelayMinutes: s.replyDelayMinutes,
});

/** The port that usually goes with a TLS mode, offered when the mode changes. */
const PORT_FOR = { none: 25, starttls: 587, tls: 465 } as const;

/** Settings → Email: the SMTP server, the test message, and the outbox's failure log. */
export function EmailTab(): ReactElement {
  const loaded = useMailSettings();
  const save = useSaveMailSettings();
  const [form, setForm] = useState<Form | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (loaded.data) setForm(formOf(loaded.data));
  }, [loaded.data]);
  if (!form) return loaded.error ? <ErrorAlert error={loaded.error} /> : <p className="muted">Loading…</p>;
  const set = (patch: Partial<Form>) => {
    setNotice(null);
    setForm({ ...form, ...patch });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const { password, ...rest } = form;
      await save.mutateAsync({ ...rest, ...(password ? { password } : {}) });
      setNotice('Email settings saved.');
    } catch (err) {
      setError(asApiError(err));
    }
  };

  return (
    <div className="stack">
      <form className="card stack mail-card" aria-label="SMTP server" onSubmit={(e) => void submit(e)}>
        <div className="mail-card-head">
          <h2>Outgoing mail (SMTP)</h2>
          {loaded.data?.configured ? (
            <span className="badge badge-ok">Configured</span>
          ) : (
            <span className="badge badge-warning">Not configured: no mail is sent</span>
          )}
        </div>
        <ErrorAlert error={error} />
        {notice ? (
          <div className="alert alert-info" role="status">
            {notice}
          </div>
        ) : null}
        <div className="admin-form-row">
          <label className="field">
            <span>SMTP host</span>
            <input
              className="input"
              value={form.host}
              placeholder="smtp.example.com"
              onChange={(e) => set({ host: e.target.value })}
            />
          </label>
          <label className="field">
            <span>Port</span>
            <input
              className="input"
              type="number"
              min={1}
              max={65535}
              value={form.port}
              onChange={(e) => set({ port: Number(e.target.value) })}
            />
          </label>
          <label className="field">
            <span>Security</span>
            <select
              className="input"
              value={form.tlsMode}
              onChange={(e) => {
                const tlsMode = e.target.value as Form['tlsMode'];
                set({ tlsMode, port: PORT_FOR[tlsMode] });
              }}
            >
              <option value="starttls">STARTTLS (usually port 587)</option>
              <option value="tls">TLS from the start (usually port 465)</option>
              <option value="none">None (local relay only)</option>
            </select>
          </label>
        </div>
        <div className="admin-form-row">
          <label className="field">
            <span>User name</span>
            <input
              className="input"
              value={form.username}
              autoComplete="off"
              onChange={(e) => set({ username: e.target.value })}
            />
          </label>
          <label className="field">
            <span>Password</span>
            <input
              className="input"
              type="password"
              autoComplete="new-password"
              value={form.password}
              placeholder={loaded.data?.passwordSet ? '•••••••• (stored; type to replace)' : 'Not set'}
              onChange={(e) => set({ password: e.target.value })}
            />
          </label>
        </div>
        <div className="admin-form-row">
          <label className="field">
            <span>From name</span>
            <input className="input" value={form.fromName} onChange={(e) => set({ fromName: e.target.value })} />
          </label>
          <label className="field">
            <span>From address (the help-desk mailbox)</span>
            <input
              className="input"
              type="email"
              value={form.fromAddress}
              placeholder="help@example.com"
              onChange={(e) => set({ fromAddress: e.target.value })}
            />
          </label>
        </div>
        <div className="admin-form-row">
          <label className="field">
            <span>Console address for links in mail</span>
            <input
              className="input"
              value={form.publicUrl}
              placeholder="https://help.example.com"
              onChange={(e) => set({ publicUrl: e.target.value })}
            />
          </label>
          <label className="field">
            <span>Mail a reply the employee has not read after (minutes)</span>
            <input
              className="input"
              type="number"
              min={0}
              max={1440}
              value={form.replyDelayMinutes}
              onChange={(e) => set({ replyDelayMinutes: Number(e.target.value) })}
            />
          </label>
        </div>
        <div className="toolbar">
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            Save email settings
          </button>
        </div>
      </form>
      <TestMessage configured={Boolean(loaded.data?.configured)} />
      <EmailOutbox />
    </div>
  );
}

/** "Send a test message": sent at once with the saved settings; the SMTP server's answer shown as it came. */
function TestMessage({ configured }: { configured: boolean }): ReactElement {
  const send = useSendTestMail();
  const [to, setTo] = useState('');
  const [result, setResult] = useState<TestMailResponse | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <form
      className="card stack mail-card"
      aria-label="Send a test message"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        setResult(null);
        try {
          setResult(await send.mutateAsync(to));
        } catch (err) {
          setError(asApiError(err));
        }
      }}
    >
      <h2>Send a test message</h2>
      <p className="muted">Uses the saved settings. The mail server’s answer is shown here.</p>
      <div className="admin-form-row">
        <label className="field">
          <span>To</span>
          <input className="input" type="email" required value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      <div className="toolbar">
        <button type="submit" className="btn" disabled={send.isPending || !configured}>
          {send.isPending ? 'Sending…' : 'Send test message'}
        </button>
      </div>
      <ErrorAlert error={error} />
      {result ? (
        <div className={result.ok ? 'alert alert-info' : 'alert alert-error'} role="status">
          <strong>{result.ok ? 'Sent.' : 'Not sent.'}</strong> {result.message}
          {result.response ? <div className="mono small">{result.response}</div> : null}
          {result.code ? <span className="admin-error-code"> ({result.code})</span> : null}
        </div>
      ) : null}
    </form>
  );
}
