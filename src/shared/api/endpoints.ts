import type { EndpointSchemas } from './endpoint';
import type { EndpointName } from './endpoint-routes';
import { announcementEndpoints, articleEndpoints } from './articles';
import { announcementAdminEndpoints, articleAdminEndpoints } from './content-admin';
import { auditEndpoints } from './audit';
import { commandEndpoints } from './commands';
import { remoteEndpoints } from './remote';
import { authEndpoints, staffEndpoints } from './auth';
import { deviceEndpoints } from './devices';
import { inventoryEndpoints } from './inventory';
import { fleetEndpoints } from './fleet';
import { localActionEndpoints } from './local-actions';
import { itActionEndpoints } from './it-actions';
import { netmonEndpoints } from './netmon';
import { netmonAlertEndpoints } from './netmon-alerts';
import { netmonHistoryEndpoints } from './netmon-history';
import { reportEndpoints } from './reports';
import { settingsEndpoints } from './settings';
import { slaEndpoints } from './sla';
import { speedTestEndpoints } from './speed-test';
import { queueEndpoints } from './queue';
import { liveEndpoints, ticketEndpoints } from './tickets';
import { mailEndpoints } from './mail';
import { mailboxEndpoints } from './mailbox';
import { webhookEndpoints } from './webhooks';
import { apiTokenEndpoints } from './api-tokens';

/*
 * The HTTP endpoint table: every endpoint's schemas by name, gathered from each domain's group.
 * Its route half (method, path, caller) is ROUTES in endpoint-routes.ts. The server registers its
 * routes from the two (src/server/http/endpoint.ts), the agent's and the console's clients are typed
 * from them, and the OpenAPI document is generated from the registered routes.
 */

const GROUPS = [
  authEndpoints,
  staffEndpoints,
  deviceEndpoints,
  inventoryEndpoints,
  fleetEndpoints,
  ticketEndpoints,
  queueEndpoints,
  liveEndpoints,
  commandEndpoints,
  remoteEndpoints,
  localActionEndpoints,
  itActionEndpoints,
  netmonEndpoints,
  netmonAlertEndpoints,
  slaEndpoints,
  settingsEndpoints,
  reportEndpoints,
  auditEndpoints,
  articleEndpoints,
  articleAdminEndpoints,
  announcementEndpoints,
  announcementAdminEndpoints,
  speedTestEndpoints,
  netmonHistoryEndpoints,
  mailEndpoints,
  mailboxEndpoints,
  webhookEndpoints,
  apiTokenEndpoints,
] as const;

export const ENDPOINTS = {
  ...authEndpoints.endpoints,
  ...staffEndpoints.endpoints,
  ...deviceEndpoints.endpoints,
  ...inventoryEndpoints.endpoints,
  ...fleetEndpoints.endpoints,
  ...ticketEndpoints.endpoints,
  ...queueEndpoints.endpoints,
  ...liveEndpoints.endpoints,
  ...commandEndpoints.endpoints,
  ...remoteEndpoints.endpoints,
  ...localActionEndpoints.endpoints,
  ...itActionEndpoints.endpoints,
  ...netmonEndpoints.endpoints,
  ...netmonAlertEndpoints.endpoints,
  ...slaEndpoints.endpoints,
  ...settingsEndpoints.endpoints,
  ...reportEndpoints.endpoints,
  ...auditEndpoints.endpoints,
  ...articleEndpoints.endpoints,
  ...articleAdminEndpoints.endpoints,
  ...announcementEndpoints.endpoints,
  ...announcementAdminEndpoints.endpoints,
  ...speedTestEndpoints.endpoints,
  ...netmonHistoryEndpoints.endpoints,
  ...mailEndpoints.endpoints,
  ...mailboxEndpoints.endpoints,
  ...webhookEndpoints.endpoints,
  ...apiTokenEndpoints.endpoints,
};
export type Endpoints = typeof ENDPOINTS;
export type DeclaredEndpointName = keyof Endpoints & EndpointName;

/** The OpenAPI tag of each declared endpoint (its group's). */
export const ENDPOINT_TAGS = Object.fromEntries(
  GROUPS.flatMap((group) => Object.keys(group.endpoints).map((name) => [name, group.tag])),
) as Record<DeclaredEndpointName, string>;

// Exactly the routes' names: a name missing here, or one that is not a route, fails the typecheck.
ENDPOINTS satisfies { readonly [K in EndpointName]: EndpointSchemas };
