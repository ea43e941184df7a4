import type { SessionState } from '../../shared/api/auth';
import { pathOf } from '../../shared/api/endpoint-routes';
import { api } from './http';

/** GET /auth/session's answer: signed in or not (never an HTTP error for "not"). */
export type SessionAnswer = SessionState;

/** Who is signed in (the shell asks once at start, before the data layer has anything to cache). */
export function fetchSession(): Promise<SessionAnswer> {
  return api.get<SessionAnswer>(pathOf('getSession'));
}

/** Signs in with email and password; the answer carries the user and the CSRF token. */
export function login(email: string, password: string): Promise<SessionAnswer> {
  return api.post<SessionAnswer>(pathOf('login'), { email, password });
}

/** Ends the session on the server. */
export function logout(): Promise<unknown> {
  return api.post(pathOf('logout'));
}
