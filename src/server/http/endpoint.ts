import type {
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
  preParsingHookHandler,
  RouteShorthandOptions,
} from 'fastify';
import type { WebSocket } from 'ws';
import { apiErrorSchema } from '../../shared/api/errors';
import type { BodyOut, EndpointSchemas, ErrorStatus, ParamsOut, QueryOut, ResponseIn } from '../../shared/api/endpoint';
import { ROUTES, type Caller } from '../../shared/api/endpoint-routes';
import {
  ENDPOINTS,
  ENDPOINT_TAGS,
  type DeclaredEndpointName as EndpointName,
  type Endpoints,
} from '../../shared/api/endpoints';
import { requireDevice, requireDeviceOrStaff, requireStaff } from '../auth/guards';
import { tokenScopeOf } from '../../shared/api/token-scopes';
import type { ServerContext } from '../context';
import type { App } from './types';

/*
 * Routes are registered from the shared endpoint table: the path, the method, the guard for its
 * caller, the schemas and the OpenAPI entry all come from the declaration of the endpoint's name.
 * A route module says only what is its own: the handler, and hooks such as idempotency.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The endpoint table's name of the route (absent on the non-API routes: console, health, metrics). */
    endpoint?: string;
  }
}

/** The request a handler of endpoint N gets: params, query and body as validated by its schemas. */
export type EndpointRequest<N extends EndpointName> = Omit<FastifyRequest, 'params' | 'query' | 'body'> & {
  params: ParamsOut<Endpoints[N]>;
  query: QueryOut<Endpoints[N]>;
  body: BodyOut<Endpoints[N]>;
};

export type EndpointHandler<N extends EndpointName> = (
  request: EndpointRequest<N>,
  reply: FastifyReply,
) => Promise<ResponseIn<Endpoints[N]> | FastifyReply>;

export interface ServeOptions {
  /** Hooks that run before the caller's guard (admission control: no database work for a refused caller). */
  beforeGuard?: onRequestHookHandler[];
  /** Requests for which the guard does not run (already refused by a beforeGuard hook, answered by the handler). */
  skipGuard?: (request: FastifyRequest) => boolean;
  /** Hooks that run after the caller's guard, before the body is read. */
  onRequest?: onRequestHookHandler[];
  /** For a GET that upgrades to a WebSocket (@fastify/websocket): the socket's handler; `handler` answers a plain GET. */
  websocket?: (socket: WebSocket, request: FastifyRequest) => void;
  preParsing?: preParsingHookHandler;
  bodyLimit?: number;
}

const SECURITY: Record<Caller, Record<string, string[]>[] | undefined> = {
  public: undefined,
  device: [{ device: [] }],
  staff: [{ staff: [] }],
  admin: [{ staff: [] }],
  'device-or-staff': [{ device: [] }, { staff: [] }],
};

function guardFor(ctx: ServerContext, caller: Caller): onRequestHookHandler | null {
  switch (caller) {
    case 'public':
      return null;
    case 'device':
      return requireDevice(ctx);
    case 'staff':
      return requireStaff(ctx);
    case 'admin':
      return requireStaff(ctx, 'admin');
    case 'device-or-staff':
      return requireDeviceOrStaff(ctx);
  }
}

/** The OpenAPI security and description of an endpoint: with an API token's scope where a token may call it. */
function documentedSecurity(name: EndpointName, caller: Caller, description: string | undefined) {
  const scope = tokenScopeOf(name);
  if (scope === null || scope === 'session-only')
    return {
      security: SECURITY[caller],
      description: scope
        ? [description, 'Session only: API tokens cannot call this.'].filter(Boolean).join('\n\n')
        : description,
    };
  return {
    security: [...(SECURITY[caller] ?? []), { apiToken: [] }],
    description: [description, `API token scope: \`${scope}\`.`].filter(Boolean).join('\n\n'),
  };
}

/** The error answers an endpoint documents: implied by its caller and inputs, plus its own. */
export function errorStatuses(name: EndpointName): ErrorStatus[] {
  const declaration: EndpointSchemas = ENDPOINTS[name];
  const caller = ROUTES[name].caller as Caller;
  const statuses = new Set<ErrorStatus>(declaration.errors ?? []);
  if (declaration.params || declaration.query || declaration.body) statuses.add(400);
  if (caller !== 'public') statuses.add(401);
  if (caller === 'staff' || caller === 'admin' || caller === 'device-or-staff') statuses.add(403);
  return [...statuses].sort((a, b) => a - b);
}

/** Registers endpoint `name` from the table with its handler. */
export function serve<N extends EndpointName>(
  app: App,
  ctx: ServerContext,
  name: N,
  handler: EndpointHandler<N>,
  options: ServeOptions = {},
): void {
  const { method, path, caller } = ROUTES[name];
  const declaration: EndpointSchemas = ENDPOINTS[name];
  const required = guardFor(ctx, caller);
  const skip = options.skipGuard;
  const guard: onRequestHookHandler | null =
    required && skip
      ? async function guardUnlessSkipped(this: unknown, request, reply) {
          if (!skip(request)) await (required as (r: FastifyRequest, p: FastifyReply) => Promise<void>)(request, reply);
        }
      : required;
  const onRequest = [...(options.beforeGuard ?? []), ...(guard ? [guard] : []), ...(options.onRequest ?? [])];
  const response: Record<number, unknown> = { ...declaration.responses };
  const documented = documentedSecurity(name, caller, declaration.description);
  for (const status of errorStatuses(name)) response[status] = apiErrorSchema;
  const routeOptions: RouteShorthandOptions = {
    ...(onRequest.length > 0 ? { onRequest } : {}),
    ...(options.preParsing ? { preParsing: options.preParsing } : {}),
    ...(options.bodyLimit !== undefined ? { bodyLimit: options.bodyLimit } : {}),
    config: { endpoint: name },
    schema: {
      operationId: name,
      tags: [ENDPOINT_TAGS[name]],
      summary: declaration.summary,
      ...(documented.description ? { description: documented.description } : {}),
      ...(documented.security ? { security: documented.security } : {}),
      ...(declaration.params ? { params: declaration.params } : {}),
      ...(declaration.query ? { querystring: declaration.query } : {}),
      ...(declaration.body ? { body: declaration.body } : {}),
      ...(declaration.produces ? { produces: [declaration.produces] } : {}),
      response,
    },
  };
  // The table's schemas type the handler; Fastify's own inference cannot follow a generic name.
  app.route({
    method,
    url: path,
    ...routeOptions,
    handler: handler as unknown as (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
    ...(options.websocket ? { wsHandler: options.websocket } : {}),
  } as unknown as Parameters<App['route']>[0]);
}
