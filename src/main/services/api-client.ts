import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { z } from 'zod';
import {
  announcementEndpoints,
  articleEndpoints,
  type agentAnnouncementSchema,
  type agentArticleSchema,
} from '../../shared/api/articles';
import { deviceEndpoints, type EnrollRequest } from '../../shared/api/devices';
import type { localActionEndpoints, RecordLocalActionBody } from '../../shared/api/local-actions';
import type { BodyIn, ResponseOut } from '../../shared/api/endpoint';
import { ROUTES, pathOf, type PathParams } from '../../shared/api/endpoint-routes';
import { apiErrorSchema } from '../../shared/api/errors';
import {
  ticketEndpoints,
  type CreateTicketRequest,
  type deviceTicketSchema,
  type messageSchema,
} from '../../shared/api/tickets';
import type { healthStatusSchema } from '../../shared/api/devices';

/*
 * The agent's typed client of the help-desk API. Every answer is validated against the shared zod
 * schemas; every failure becomes an ApiCallError whose kind tells the caller what to do:
 * transient (network, timeout, 5xx, 429: retry later), unauthorized (401: the device token is not
 * valid any more) or permanent (other 4xx: the server refused this request; retrying won't help).
 */

const gzipAsync = promisify(gzip);

/** What to do about a failed call. */
export type ApiErrorKind = 'transient' | 'unauthorized' | 'permanent';

/** A failed API call, classified. `message` is the server's own message for 4xx answers. */
export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status: number | null = null,
    readonly code: string | null = null,
    /** From Retry-After on 429/503, in ms. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** Whether an error means "the server could not be reached or did not answer properly". */
export function isTransient(error: unknown): boolean {
  return error instanceof ApiCallError && error.kind === 'transient';
}

/**
 * The endpoints the agent calls, with their schemas from the shared table: only the groups a device
 * uses, so the agent does not load the staff-side schemas. Recording a Fix-it run loads its group on
 * first use (responseSchemaOf): an idle agent makes none, and the group's schemas are ~0.3 MB of heap.
 */
const AGENT_ENDPOINTS = {
  ...deviceEndpoints.endpoints,
  ...ticketEndpoints.endpoints,
  ...articleEndpoints.endpoints,
  ...announcementEndpoints.endpoints,
};
type AgentEndpoints = typeof AGENT_ENDPOINTS & Pick<(typeof localActionEndpoints)['endpoints'], 'recordLocalAction'>;

/** The schema of an endpoint's first success answer (what the call returns), or undefined. */
async function responseSchemaOf(name: AgentEndpointName): Promise<z.ZodType | undefined> {
  const endpoint =
    name === 'recordLocalAction'
      ? (await import('../../shared/api/local-actions')).localActionEndpoints.endpoints.recordLocalAction
      : AGENT_ENDPOINTS[name];
  return Object.values(endpoint.responses)[0] as z.ZodType | undefined;
}
type AgentEndpointName = keyof AgentEndpoints & keyof typeof ROUTES;
/** What endpoint N answers, as its schema's output. */
export type Answer<N extends AgentEndpointName> = ResponseOut<AgentEndpoints[N]>;

export type DeviceTicket = z.infer<typeof deviceTicketSchema>;
export type Message = z.infer<typeof messageSchema>;
export type AgentArticle = z.infer<typeof agentArticleSchema>;
export type AgentAnnouncement = z.infer<typeof agentAnnouncementSchema>;
export type HealthStatus = z.infer<typeof healthStatusSchema>;

/** The calls the agent makes; the device token comes from the `token` getter at each call. */
export interface HelpdeskApi {
  enroll(request: EnrollRequest): Promise<Answer<'enroll'>>;
  heartbeat(body: BodyIn<AgentEndpoints['heartbeat']>): Promise<void>;
  /** A periodic inventory snapshot without a ticket. */
  uploadSnapshot(snapshot: unknown): Promise<Answer<'uploadSnapshot'>>;
  /** The same with only the changed sections; 409 (ApiCallError, permanent) when the server does not know `base`. */
  uploadSnapshotDelta(delta: {
    base: number;
    unchanged: string[];
    snapshot: unknown;
  }): Promise<Answer<'uploadSnapshotDelta'>>;
  /** gzip-encoded, with the one Idempotency-Key of this ticket. */
  createTicket(body: CreateTicketRequest, idempotencyKey: string): Promise<Answer<'createTicket'>>;
  listTickets(): Promise<DeviceTicket[]>;
  getTicket(ticketId: number): Promise<DeviceTicket>;
  listMessages(ticketId: number, after?: number): Promise<Answer<'listMessages'>>;
  postMessage(ticketId: number, body: string): Promise<Message>;
  solve(ticketId: number): Promise<DeviceTicket>;
  reopen(ticketId: number): Promise<DeviceTicket>;
  rate(ticketId: number, satisfaction: number, comment: string | null): Promise<DeviceTicket>;
  /** Long poll for staff replies after `after`, waiting up to `waitSeconds`. */
  updates(after: number, waitSeconds: number, signal?: AbortSignal): Promise<Answer<'ticketUpdates'>>;
  syncArticles(since: number): Promise<Answer<'syncArticles'>>;
  syncAnnouncements(since: number): Promise<Answer<'syncAnnouncements'>>;
  articleEvent(articleId: number, kind: 'view' | 'helped'): Promise<void>;
  /** Records a Fix-it run the employee started (the same run id twice is stored once). */
  recordLocalAction(body: RecordLocalActionBody): Promise<void>;
}

export interface ApiClientOptions {
  /** The server's base URL (http(s)://host:port), read at each call; null = not configured. */
  baseUrl: () => string | null;
  token: () => string | null;
  userAgent: string;
  /** Per request, for everything but the long poll (which adds its wait). Default 15 s. */
  timeoutMs?: number;
  /** Aborts every in-flight call (the agent stops). */
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 15_000;

function retryAfter(response: AxiosResponse): number | null {
  const raw = response.headers['retry-after'] as string | undefined;
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/** Turns an HTTP answer (already known not to be 2xx) into an ApiCallError. */
export function classifyResponse(response: AxiosResponse): ApiCallError {
  const status = response.status;
  const body = apiErrorSchema.safeParse(response.data);
  const message = body.success ? body.data.error.message : `The server answered ${status}`;
  const code = body.success ? body.data.error.code : null;
  if (status >= 500 || status === 429 || status === 408)
    return new ApiCallError('transient', message, status, code, retryAfter(response));
  if (status === 401) return new ApiCallError('unauthorized', message, status, code);
  return new ApiCallError('permanent', message, status, code);
}

function classifyThrown(error: unknown): ApiCallError {
  if (error instanceof ApiCallError) return error;
  if (axios.isCancel(error)) return new ApiCallError('transient', 'The request was cancelled', null, 'aborted');
  if (axios.isAxiosError(error)) {
    const code = error.code ?? null;
    const what =
      code === 'ECONNABORTED' || code === 'ETIMEDOUT'
        ? 'The server did not answer in time'
        : 'The server cannot be reached';
    return new ApiCallError('transient', `${what} (${code ?? error.message})`, null, code);
  }
  return new ApiCallError('transient', error instanceof Error ? error.message : String(error));
}

/** Builds the client; no request is made until a method is called. */
export function createHelpdeskApi(options: ApiClientOptions): HelpdeskApi {
  // Our own connection pools, so stopping the agent closes its kept-alive sockets too.
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 4 });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 4 });
  options.signal?.addEventListener(
    'abort',
    () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
    { once: true },
  );
  const http: AxiosInstance = axios.create({
    httpAgent,
    httpsAgent,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    validateStatus: () => true,
    maxRedirects: 0,
    headers: { 'user-agent': options.userAgent, accept: 'application/json' },
    // Bodies are bounded by the server; answers we accept are small (tickets, pages of 50 articles).
    maxContentLength: 32 * 1024 * 1024,
  });

  async function call<N extends AgentEndpointName>(
    name: N,
    config: {
      data?: unknown;
      headers?: Record<string, string>;
      auth?: boolean;
      timeoutMs?: number;
      signal?: AbortSignal;
      query?: Record<string, string | number>;
      params?: PathParams<N>;
    } = {},
  ): Promise<Answer<N>> {
    const { method } = ROUTES[name];
    // Relative to the base URL, which may carry a path prefix (a reverse proxy's /helpdesk/).
    const path = pathOf(name, config.params).slice(1);
    const base = options.baseUrl();
    if (!base) throw new ApiCallError('permanent', 'No help-desk server is configured', null, 'not_configured');
    const headers: Record<string, string> = { ...config.headers };
    if (config.auth !== false) {
      const token = options.token();
      if (!token)
        throw new ApiCallError(
          'unauthorized',
          'This computer is not enrolled with the help desk yet',
          null,
          'not_enrolled',
        );
      headers.authorization = `Bearer ${token}`;
    }
    const signals = [options.signal, config.signal].filter((s): s is AbortSignal => s !== undefined);
    let response: AxiosResponse;
    try {
      response = await http.request({
        method,
        url: new URL(path, base.endsWith('/') ? base : `${base}/`).toString(),
        data: config.data,
        params: config.query,
        headers,
        timeout: config.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
      });
    } catch (error) {
      throw classifyThrown(error);
    }
    if (response.status < 200 || response.status >= 300) throw classifyResponse(response);
    const schema = await responseSchemaOf(name);
    if (!schema || response.status === 204) return undefined as Answer<N>;
    const parsed = schema.safeParse(response.data);
    if (!parsed.success)
      throw new ApiCallError(
        'transient',
        `The server's answer to ${method} ${path} was not understood`,
        response.status,
        'invalid_response',
      );
    return parsed.data as Answer<N>;
  }

  const json = (data: unknown) => ({ data, headers: { 'content-type': 'application/json' } });

  return {
    enroll: (request) => call('enroll', { ...json(request), auth: false }),
    heartbeat: async (body) => void (await call('heartbeat', json(body))),
    async uploadSnapshotDelta(delta) {
      const gz = await gzipAsync(Buffer.from(JSON.stringify(delta)), { level: 6 });
      return call('uploadSnapshotDelta', {
        data: gz,
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        timeoutMs: 60_000,
      });
    },
    async uploadSnapshot(snapshot) {
      const gz = await gzipAsync(Buffer.from(JSON.stringify(snapshot)), { level: 6 });
      return call('uploadSnapshot', {
        data: gz,
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        timeoutMs: 60_000,
      });
    },
    async createTicket(body, idempotencyKey) {
      const gz = await gzipAsync(Buffer.from(JSON.stringify(body)), { level: 6 });
      return call('createTicket', {
        data: gz,
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'idempotency-key': idempotencyKey },
        // A snapshot with a screenshot may be a few MB on a slow uplink.
        timeoutMs: 60_000,
      });
    },
    listTickets: async () => (await call('listDeviceTickets')).tickets,
    getTicket: (id) => call('getDeviceTicket', { params: { id } }),
    listMessages: (id, after = 0) => call('listMessages', { params: { id }, query: { after } }),
    postMessage: (id, body) => call('postMessage', { params: { id }, ...json({ body }) }),
    // Bodiless actions still send JSON: Fastify refuses a POST with axios's default form content type.
    solve: (id) => call('solveTicket', { params: { id }, ...json({}) }),
    reopen: (id) => call('reopenTicket', { params: { id }, ...json({}) }),
    rate: (id, satisfaction, comment) => call('rateTicket', { params: { id }, ...json({ satisfaction, comment }) }),
    updates: (after, waitSeconds, signal) =>
      call('ticketUpdates', {
        query: { after, wait: waitSeconds },
        timeoutMs: waitSeconds * 1000 + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        signal,
      }),
    syncArticles: (since) => call('syncArticles', { query: { since: String(since), limit: 100 } }),
    syncAnnouncements: (since) =>
      call('syncAnnouncements', {
        query: { since: String(since), limit: 100 },
      }),
    articleEvent: async (id, kind) =>
      void (await call(kind === 'view' ? 'articleViewed' : 'articleHelped', { params: { id }, ...json({}) })),
    recordLocalAction: async (body) => void (await call('recordLocalAction', json(body))),
  };
}
