import type { EndpointSchemas } from './endpoint';
import type { EndpointName } from './endpoint-routes';
import { announcementEndpoints, articleEndpoints } from './articles';
import { auditEndpoints } from './audit';
import { reportEndpoints } from './reports';
import { slaEndpoints } from './sla';
import { queueEndpoints, ticketEndpoints } from './tickets';

/*
 * The HTTP endpoint table: every endpoint's schemas by name, gathered from each domain's group.
 * Its route half (method, path, caller) is ROUTES in endpoint-routes.ts. The server registers its
 * routes from the two (src/server/http/endpoint.ts), the agent's and the console's clients are typed
 * from them, and the OpenAPI document is generated from the registered routes.
 */

const GROUPS = [
  auditEndpoints,
  reportEndpoints,
  articleEndpoints,
  announcementEndpoints,
  slaEndpoints,
  ticketEndpoints,
  queueEndpoints,
] as const;

export const ENDPOINTS = {
  ...auditEndpoints.endpoints,
  ...reportEndpoints.endpoints,
  ...articleEndpoints.endpoints,
  ...announcementEndpoints.endpoints,
  ...slaEndpoints.endpoints,
  ...ticketEndpoints.endpoints,
  ...queueEndpoints.endpoints,
};
export type Endpoints = typeof ENDPOINTS;
export type DeclaredEndpointName = keyof Endpoints & EndpointName;

/** The OpenAPI tag of each declared endpoint (its group's). */
export const ENDPOINT_TAGS = Object.fromEntries(
  GROUPS.flatMap((group) => Object.keys(group.endpoints).map((name) => [name, group.tag])),
) as Record<DeclaredEndpointName, string>;

// Every declared name is a route name, and every declaration has the endpoint shape.
ENDPOINTS satisfies { readonly [K in DeclaredEndpointName]: EndpointSchemas };
