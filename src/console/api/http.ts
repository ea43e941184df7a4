/*
 * The console's one way to reach the server: same-origin fetch with the session cookie, the CSRF
 * header on every state-changing request, JSON in and out, and errors as ApiError with the server's
 * stable code. A 401 on any call means the session ended: listeners (the shell) show sign-in again.
 * While signed in, a request is not even sent once the readable hint cookie (which expires and is
 * cleared with the session) is gone: the session ended, and a request would only earn a 401 that the
 * browser logs as a failed resource.
 */
import type { BodyIn, QueryIn, ResponseOut } from '../../shared/api/endpoint';
import {
  pathOf,
  ROUTES,
  withQuery,
  type HasNoParams,
  type PathParams,
  type QueryValue,
} from '../../shared/api/endpoint-routes';
import type { DeclaredEndpointName, Endpoints } from '../../shared/api/endpoints';
import { SIGNED_IN_HINT_COOKIE } from '../../shared/api/session-cookies';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The server's `error.details` (a 400's list of `{ path, message }` issues, one per bad field). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
const sessionListeners = new Set<() => void>();

/** Set after sign-in (and after GET /api/v1/auth/session); cleared on sign-out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Sign-in, the session probe and sign-out: they answer 401 without meaning "the session ended". */
const SESSION_PATHS: ReadonlySet<string> = new Set([ROUTES.login.path, ROUTES.getSession.path, ROUTES.logout.path]);
const isSessionPath = (path: string) => SESSION_PATHS.has(path.split('?')[0] ?? path);

function hintCookiePresent(): boolean {
  return document.cookie.split(';').some((pair) => pair.trim().startsWith(`${SIGNED_IN_HINT_COOKIE}=`));
}

function sessionEnded(): ApiError {
  for (const listener of sessionListeners) listener();
  return new ApiError(401, 'session_expired', 'Your session has expired; sign in again');
}

/** Called when the server answers 401: the session expired or was revoked. */
export function onSessionExpired(listener: () => void): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

export type Query = Readonly<Record<string, QueryValue>>;

export async function request<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  init: { signal?: AbortSignal } = {},
): Promise<T> {
  // Only while signed in (a CSRF token is held): the sign-in page and the session probe always ask.
  if (csrfToken && !isSessionPath(path) && !hintCookiePresent()) throw sessionEnded();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: init.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    if (response.status === 401 && !isSessionPath(path)) throw sessionEnded();
    throw new ApiError(
      response.status,
      error?.code ?? `http_${response.status}`,
      error?.message ?? `The server answered ${response.status}.`,
      error?.details,
    );
  }
  return parsed as T;
}

/** The request body endpoint N takes, as its schema accepts it (for the mutations' inputs). */
export type BodyOf<N extends DeclaredEndpointName> = BodyIn<Endpoints[N]>;
/**
 * The query endpoint N takes, as its schema accepts it (the list hooks' filters); a field the server
 * coerces from the URL's text (a number, say) takes any query value.
 */
export type QueryOf<N extends DeclaredEndpointName> = UrlQuery<QueryIn<Endpoints[N]>>;
type UrlQuery<Q> = { [K in keyof Q]: unknown extends Q[K] ? QueryValue : Q[K] };
/** What endpoint N answers (its first success response), as call() returns it. */
export type AnswerOf<N extends DeclaredEndpointName> = ResponseOut<Endpoints[N]>;

/** What a call of endpoint N takes: its path parameters, query and body, each only where it has them. */
export type CallInput<N extends DeclaredEndpointName> = (HasNoParams<N> extends true
  ? { params?: undefined }
  : { params: PathParams<N> }) &
  (undefined extends BodyIn<Endpoints[N]> ? { body?: BodyIn<Endpoints[N]> } : { body: BodyIn<Endpoints[N]> }) & {
    query?: QueryOf<N>;
    signal?: AbortSignal;
  };

type CallArgs<N extends DeclaredEndpointName> =
  Record<never, never> extends CallInput<N> ? [input?: CallInput<N>] : [input: CallInput<N>];

/** Calls endpoint `name` of the shared table: its method and path from ROUTES, its types from its schemas. */
export function call<N extends DeclaredEndpointName>(
  name: N,
  ...[input]: CallArgs<N>
): Promise<ResponseOut<Endpoints[N]>> {
  // Any method of the table: narrowing to the declared names' methods would depend on which are declared.
  const method = ROUTES[name].method as (typeof ROUTES)[keyof typeof ROUTES]['method'];
  const given = (input ?? {}) as { params?: PathParams<N>; query?: Query; body?: unknown; signal?: AbortSignal };
  const url = withQuery(pathOf(name, given.params), given.query);
  // State-changing requests always send a JSON body (Fastify refuses a bodiless JSON POST).
  const body = method === 'GET' || method === 'DELETE' ? given.body : (given.body ?? {});
  return request(method, url, body, { signal: given.signal });
}

/** The URL of a GET endpoint, for links and downloads (`<a href>`). */
export function urlOf<N extends DeclaredEndpointName>(
  name: N,
  input: { params?: PathParams<N>; query?: Query } = {},
): string {
  return withQuery(pathOf(name, input.params), input.query);
}
