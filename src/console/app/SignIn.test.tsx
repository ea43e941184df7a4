// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiError, createFakeServer, type FakeRoutes } from '../../../test/fakes/console-server.fake';
import { SignIn } from './SignIn';

const USER = { id: 1, email: 'sam@acme.example', name: 'Sam Tech', role: 'technician' as const, group: null };

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function signIn(routes: FakeRoutes, message: string | null = null) {
  const server = createFakeServer(routes);
  vi.stubGlobal('fetch', server.fetch);
  const onSignedIn = vi.fn();
  render(<SignIn message={message} onSignedIn={onSignedIn} />);
  return { server, onSignedIn };
}

describe('Sign in', () => {
  it('posts the email and password and hands the session to the shell', async () => {
    const user = userEvent.setup();
    const { server, onSignedIn } = signIn({
      'POST /api/v1/auth/login': { body: { signedIn: true, user: USER, csrfToken: 'csrf-1' } },
    });
    const email = screen.getByLabelText('Email');
    expect(document.activeElement).toBe(email);
    await user.type(email, 'sam@acme.example');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(server.made('POST', '/api/v1/auth/login').map((r) => r.body)).toEqual([
      { email: 'sam@acme.example', password: 'correct horse' },
    ]);
    expect(onSignedIn).toHaveBeenCalledWith({ signedIn: true, user: USER, csrfToken: 'csrf-1' });
  });

  it('says plainly when the credentials are wrong, and keeps the form usable', async () => {
    const user = userEvent.setup();
    const { onSignedIn } = signIn({
      // A wrong password answers 200 with signedIn: false, so the browser has no failed request to log.
      'POST /api/v1/auth/login': {
        body: { signedIn: false, error: { code: 'invalid_credentials', message: 'Wrong email or password' } },
      },
    });
    await user.type(screen.getByLabelText('Email'), 'sam@acme.example');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'That email and password do not match an active account.',
    );
    expect(screen.getByRole('button', { name: 'Sign in' })).toHaveProperty('disabled', false);
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it("shows the server's own message for other failures, and the shell's notice", async () => {
    const user = userEvent.setup();
    signIn(
      { 'POST /api/v1/auth/login': apiError(429, 'rate_limited', 'Too many attempts; wait a minute.') },
      'Your session expired. Sign in again.',
    );
    expect(screen.getByRole('status').textContent).toBe('Your session expired. Sign in again.');
    await user.type(screen.getByLabelText('Email'), 'sam@acme.example');
    await user.type(screen.getByLabelText('Password'), 'x');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Too many attempts; wait a minute.');
  });
});
