import type { EndpointSchemas } from './endpoint';
import type { EndpointName } from './endpoint-routes';
import { auditEndpoints } from './audit';
import { authEndpoints, staffEndpoints } from './auth';
import { deviceEndpoints } from './devices';
import { reportEndpoints } from './reports';
import { settingsEndpoints } from './settings';

/*
 * The HTTP endpoint table: every endpoint's schemas by name, gathered from each domain's group.
 * Its route half (method, path, caller) is ROUTES in endpoint-routes.ts. The server registers its
 * routes from the two (src/server/http/endpoint.ts), the agent's and the console's clients are typed
 * from them, and the OpenAPI document is generated from the registered routes.
 */

const GROUPS = [
  auditEndpoints,
  reportEndpoints,
  authEndpoints,
  staffEndpoints,
  deviceEndpoints,
  settingsEndpoints,
] as const;

export const ENDPOINTS = {
  ...auditEndpoints.endpoints,
  ...reportEndpoints.endpoints,
  ...authEndpoints.endpoints,
  ...staffEndpoints.endpoints,
  ...deviceEndpoints.endpoints,
  ...settingsEndpoints.endpoints,
};
export type Endpoints = typeof ENDPOINTS;
export type DeclaredEndpointName = keyof Endpoints & EndpointName;

/** The OpenAPI tag of each declared endpoint (its group's). */
export const ENDPOINT_TAGS = Object.fromEntries(
  GROUPS.flatMap((group) => Object.keys(group.endpoints).map((name) => [name, group.tag])),
) as Record<DeclaredEndpointName, string>;

// Every declared name is a route name, and every declaration has the endpoint shape.
ENDPOINTS satisfies { readonly [K in DeclaredEndpointName]: EndpointSchemas };
