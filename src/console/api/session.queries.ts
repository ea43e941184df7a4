import type { SessionState } from '../../shared/api/auth';
import { call } from './http';

/** GET /auth/session's answer: signed in or not (never an HTTP error for "not"). */
export type SessionAnswer = SessionState;

/** Who is signed in (the shell asks once at start, before the data layer has anything to cache). */
export function fetchSession(): Promise<SessionAnswer> {
  return call('getSession');
}

/** Signs in with email and password; the answer carries the user and the CSRF token. */
export function login(email: string, password: string): Promise<SessionAnswer> {
  return call('login', { body: { email, password } });
}

/** Ends the session on the server. */
export function logout(): Promise<unknown> {
  return call('logout');
}
