/*
 * The help-desk server as the console's component tests see it: a stand-in for `fetch` (the console's
 * only way out, src/console/api/http.ts) that answers from routes the test declares and records every
 * request with its parsed JSON body, so a test asserts the exact request a form made. A request no
 * route matches answers 404 with the server's error shape and is recorded too.
 */

/** One request the console made. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

/** What a route answers: a status and a JSON body (204 has none). */
export interface FakeAnswer {
  status?: number;
  body?: unknown;
}

/** `"METHOD /path"` (":name" matches one segment) → answer or function of the request. */
export type FakeRoutes = Record<string, FakeAnswer | ((request: RecordedRequest) => FakeAnswer | Promise<FakeAnswer>)>;

export interface FakeServer {
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  requests: RecordedRequest[];
  /** The requests with this method and path (":name" segments allowed). */
  made(method: string, path: string): RecordedRequest[];
  /** Adds or replaces routes. */
  route(routes: FakeRoutes): void;
}

/** The server's error body for a status, as the one error handler writes it. */
export function apiError(status: number, code: string, message: string): FakeAnswer {
  return { status, body: { error: { code, message } } };
}

function matches(pattern: string, path: string): boolean {
  const want = pattern.split('/');
  const got = path.split('/');
  return want.length === got.length && want.every((part, i) => part.startsWith(':') || part === got[i]);
}

/** A fake server over `routes`. */
export function createFakeServer(routes: FakeRoutes = {}): FakeServer {
  const table: FakeRoutes = { ...routes };
  const requests: RecordedRequest[] = [];
  const find = (method: string, path: string) =>
    Object.entries(table).find(([key]) => {
      const [m, p] = key.split(' ');
      return m === method && matches(p!, path);
    })?.[1];

  return {
    requests,
    made: (method, path) => requests.filter((r) => r.method === method && matches(path, r.path)),
    route: (more) => void Object.assign(table, more),
    async fetch(input, init = {}) {
      const url = new URL(String(input instanceof Request ? input.url : input), 'http://console.test');
      const method = (init.method ?? 'GET').toUpperCase();
      const text = typeof init.body === 'string' ? init.body : undefined;
      const request: RecordedRequest = {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: { ...(init.headers as Record<string, string> | undefined) },
        body: text === undefined ? undefined : JSON.parse(text),
      };
      requests.push(request);
      const route = find(method, url.pathname);
      const answer = route
        ? typeof route === 'function'
          ? await route(request)
          : route
        : apiError(404, 'not_found', `No route ${method} ${url.pathname} in this test`);
      const status = answer.status ?? 200;
      return new Response(status === 204 ? null : JSON.stringify(answer.body ?? {}), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    },
  };
}
