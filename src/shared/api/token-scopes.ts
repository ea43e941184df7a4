import type { ApiScope } from '../integrations';
import { ROUTES, type Caller, type EndpointName } from './endpoint-routes';
import { ENDPOINT_TAGS, type DeclaredEndpointName } from './endpoints';

/*
 * The scope an API token needs for each staff endpoint, derived once from the endpoint table: the
 * endpoint's domain (its OpenAPI tag) gives the family, the method read or write, and an endpoint only
 * administrators may call needs `admin` (content authoring needs `content:write`). A test fails when a
 * staff endpoint has neither a scope nor a reason to be session-only.
 */

type Family = 'tickets' | 'devices' | 'content' | 'reports' | 'session-only';

/** Each domain's family. `session-only`: signing in and managing tokens take a session, never a token. */
const FAMILY_BY_TAG: Record<string, Family> = {
  auth: 'session-only',
  'api-tokens': 'session-only',
  staff: 'tickets',
  tickets: 'tickets',
  queue: 'tickets',
  live: 'tickets',
  sla: 'tickets',
  settings: 'tickets',
  audit: 'tickets',
  webhooks: 'tickets',
  // Mail settings, templates and the outbox are admin-only (scope admin); a person's mail preferences go with tickets.
  mail: 'tickets',
  devices: 'devices',
  fleet: 'devices',
  commands: 'devices',
  remote: 'devices',
  'local-actions': 'devices',
  'it-actions': 'devices',
  netmon: 'devices',
  'speed-test': 'devices',
  articles: 'content',
  announcements: 'content',
  reports: 'reports',
};

const STAFF_CALLERS: readonly Caller[] = ['staff', 'admin', 'device-or-staff'];

/** Whether a staff member may call the endpoint (so an API token might). */
export function isStaffEndpoint(name: EndpointName): boolean {
  return STAFF_CALLERS.includes(ROUTES[name].caller);
}

/**
 * The scope a token needs for endpoint `name`; `session-only` when no token may call it; null when it is
 * not a staff endpoint at all (public, or for devices) or its domain has no family (the test catches that).
 */
export function tokenScopeOf(name: DeclaredEndpointName): ApiScope | 'session-only' | null {
  if (!isStaffEndpoint(name)) return null;
  const family = FAMILY_BY_TAG[ENDPOINT_TAGS[name]];
  if (!family) return null;
  if (family === 'session-only') return family;
  const { method, caller } = ROUTES[name];
  const write = method !== 'GET';
  if (caller === 'admin') return family === 'content' ? 'content:write' : 'admin';
  switch (family) {
    case 'tickets':
      return write ? 'tickets:write' : 'tickets:read';
    case 'devices':
      return write ? 'devices:write' : 'devices:read';
    case 'content':
      return write ? 'content:write' : 'content:read';
    case 'reports':
      return write ? 'admin' : 'reports:read';
  }
}
