import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestServer,
  describeEachDatabase,
  type EnrolledDevice,
  type StaffSession,
  type TestServer,
} from './harness';
import { documentedRoutes, fillPath, type Route } from './openapi-routes';
import { fileTicket, postMessage } from './ticket-helpers';

/** Who may call a route: anyone, an enrolled device, any staff member, an admin, or a device or staff member. */
type Access = 'public' | 'device' | 'staff' | 'admin' | 'device|staff';

// The authorization matrix. Every documented route must be listed: a new route without an entry fails.
const MATRIX: Record<string, Access> = {
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/enroll': 'public',
  // Public: says whether the caller is signed in (200 `signedIn: false` when not); it reveals nothing else.
  'GET /api/v1/auth/session': 'public',
  'POST /api/v1/auth/logout': 'staff',
  'GET /api/v1/staff': 'staff',
  'POST /api/v1/staff': 'admin',
  'PATCH /api/v1/staff/{id}': 'admin',
  'POST /api/v1/devices/heartbeat': 'device',
  'GET /api/v1/device/channel': 'device',
  'POST /api/v1/snapshots/delta': 'device',
  // The speed test's payloads (net.speed-test), for enrolled devices only.
  'GET /api/v1/device/speed-test/download': 'device',
  'POST /api/v1/device/speed-test/upload': 'device',
  'POST /api/v1/tickets/{id}/presence': 'staff',
  'GET /api/v1/staff/events': 'staff',
  'POST /api/v1/devices/{deviceId}/revoke': 'admin',
  'GET /api/v1/enroll-secrets': 'admin',
  'POST /api/v1/enroll-secrets': 'admin',
  'DELETE /api/v1/enroll-secrets/{id}': 'admin',
  'POST /api/v1/tickets': 'device',
  'GET /api/v1/tickets': 'staff',
  'GET /api/v1/device/tickets': 'device',
  'GET /api/v1/device/tickets/{id}': 'device',
  'POST /api/v1/tickets/{id}/solve': 'device',
  'POST /api/v1/tickets/{id}/reopen': 'device',
  'POST /api/v1/tickets/{id}/rating': 'device',
  'GET /api/v1/tickets/{id}/messages': 'device|staff',
  'GET /api/v1/tickets/{id}/attachments': 'device|staff',
  'POST /api/v1/tickets/{id}/messages': 'device|staff',
  'GET /api/v1/tickets/updates': 'device',
  'GET /api/v1/attachments/{id}': 'device|staff',
  'GET /api/v1/tickets/{id}': 'staff',
  'PATCH /api/v1/tickets/{id}': 'staff',
  'POST /api/v1/tickets/{id}/escalate': 'staff',
  'GET /api/v1/tickets/{id}/events': 'staff',
  // Remote actions: technicians and admins request, list and cancel; a device never (it hears commands on the channel).
  'POST /api/v1/tickets/{id}/commands': 'staff',
  'GET /api/v1/tickets/{id}/commands': 'staff',
  'GET /api/v1/devices/{id}/commands': 'staff',
  'POST /api/v1/commands/{id}/cancel': 'staff',
  // Fix-it runs: the device records its employee's own runs; staff list them on the device page.
  // Remote sessions (VNC control, screen share): technicians ask, read and stop; the tunnels and the
  // signaling socket check the caller at upgrade (a plain GET is refused after that, 426).
  'POST /api/v1/devices/{id}/remote-sessions': 'staff',
  'GET /api/v1/devices/{id}/remote-sessions': 'staff',
  'GET /api/v1/remote-sessions/{id}': 'staff',
  'POST /api/v1/remote-sessions/{id}/stop': 'staff',
  'POST /api/v1/remote-sessions/{id}/join': 'staff',
  'GET /api/v1/remote-sessions/{id}/tunnel': 'staff',
  'GET /api/v1/device/remote-sessions/{id}/tunnel': 'device',
  'GET /api/v1/remote-sessions/{id}/signaling': 'staff',
  'POST /api/v1/device/local-actions': 'device',
  'GET /api/v1/devices/{id}/local-actions': 'staff',
  // IT's allow-lists and scripts: technicians read them (the Run on device form), admins author them.
  'GET /api/v1/it/catalog': 'staff',
  'PUT /api/v1/it/services/{id}': 'admin',
  'DELETE /api/v1/it/services/{id}': 'admin',
  'PUT /api/v1/it/packages/{id}': 'admin',
  'DELETE /api/v1/it/packages/{id}': 'admin',
  'PUT /api/v1/it/scripts/{slug}': 'admin',
  'DELETE /api/v1/it/scripts/{slug}': 'admin',
  // Network monitoring: staff read the plan, sites, series, fleet grid and checks; admins change plan, sites and checks.
  'GET /api/v1/netmon/settings': 'staff',
  'PUT /api/v1/netmon/settings': 'admin',
  'GET /api/v1/netmon/sites': 'staff',
  'PUT /api/v1/netmon/sites': 'admin',
  'GET /api/v1/devices/{id}/netmon': 'staff',
  'GET /api/v1/netmon/fleet': 'staff',
  'GET /api/v1/tickets/{id}/netmon/affected': 'staff',
  'GET /api/v1/netmon/checks': 'staff',
  'PUT /api/v1/netmon/checks/{slug}': 'admin',
  'DELETE /api/v1/netmon/checks/{slug}': 'admin',
  'GET /api/v1/netmon/checks/{slug}/series': 'staff',
  'GET /api/v1/netmon/alert-rules': 'staff',
  'POST /api/v1/netmon/alert-rules': 'admin',
  'PUT /api/v1/netmon/alert-rules/{id}': 'admin',
  'DELETE /api/v1/netmon/alert-rules/{id}': 'admin',
  'GET /api/v1/netmon/incidents': 'staff',
  'GET /api/v1/tickets/{id}/incident': 'staff',
  'GET /api/v1/tickets/{id}/netmon/summary': 'staff',
  'GET /api/v1/devices/{id}/netmon/bandwidth': 'staff',
  'POST /api/v1/devices/{id}/netmon/bandwidth': 'staff',
  'GET /api/v1/netmon/checks/{slug}/history': 'staff',
  'POST /api/v1/snapshots': 'device',
  'GET /api/v1/devices': 'staff',
  'GET /api/v1/devices/{id}': 'staff',
  'GET /api/v1/devices/{id}/snapshots': 'staff',
  'GET /api/v1/snapshots/{id}': 'staff',
  'GET /api/v1/snapshots/{id}/diff': 'staff',
  'GET /api/v1/fleet/summary': 'staff',
  'GET /api/v1/fleet/devices': 'staff',
  'GET /api/v1/fleet/software': 'staff',
  'GET /api/v1/sla/policies': 'staff',
  'PUT /api/v1/sla/policies': 'admin',
  'GET /api/v1/sla/escalation-rules': 'staff',
  'POST /api/v1/sla/escalation-rules': 'admin',
  'PATCH /api/v1/sla/escalation-rules/{id}': 'admin',
  'DELETE /api/v1/sla/escalation-rules/{id}': 'admin',
  'GET /api/v1/articles': 'staff',
  'POST /api/v1/articles': 'admin',
  'GET /api/v1/articles/{id}': 'staff',
  'PATCH /api/v1/articles/{id}': 'admin',
  'DELETE /api/v1/articles/{id}': 'admin',
  'POST /api/v1/articles/{id}/publish': 'admin',
  'POST /api/v1/articles/{id}/unpublish': 'admin',
  'GET /api/v1/articles/search': 'device|staff',
  'GET /api/v1/articles/sync': 'device',
  'POST /api/v1/articles/{id}/view': 'device',
  'POST /api/v1/articles/{id}/helped': 'device',
  'GET /api/v1/announcements': 'staff',
  'POST /api/v1/announcements': 'admin',
  'GET /api/v1/announcements/sync': 'device',
  'GET /api/v1/announcements/{id}': 'staff',
  'PATCH /api/v1/announcements/{id}': 'admin',
  'DELETE /api/v1/announcements/{id}': 'admin',
  'POST /api/v1/announcements/{id}/publish': 'admin',
  'POST /api/v1/announcements/{id}/unpublish': 'admin',
  'GET /api/v1/reports/summary': 'staff',
  'GET /api/v1/reports/summary.csv': 'staff',
  'GET /api/v1/audit': 'admin',
  'GET /api/v1/groups': 'staff',
  'POST /api/v1/groups': 'admin',
  'PATCH /api/v1/groups/{id}': 'admin',
  'DELETE /api/v1/groups/{id}': 'admin',
  'GET /api/v1/settings/categories': 'staff',
  'PUT /api/v1/settings/categories': 'admin',
  // Email out: admins run SMTP, templates and the outbox; each staff member their own notifications; the
  // pages of mail links are public (a signed token in the request decides, 403 without a valid one).
  'GET /api/v1/settings/mail': 'admin',
  'PUT /api/v1/settings/mail': 'admin',
  'POST /api/v1/settings/mail/test': 'admin',
  'GET /api/v1/settings/mail/templates': 'admin',
  'PUT /api/v1/settings/mail/templates/{kind}': 'admin',
  'DELETE /api/v1/settings/mail/templates/{kind}': 'admin',
  'POST /api/v1/settings/mail/templates/{kind}/preview': 'admin',
  'GET /api/v1/mail/outbox': 'admin',
  'POST /api/v1/mail/outbox/{id}/retry': 'admin',
  'GET /api/v1/staff/me/mail-preferences': 'staff',
  'PUT /api/v1/staff/me/mail-preferences': 'staff',
  'GET /api/v1/mail/subscription': 'public',
  'PUT /api/v1/mail/subscription': 'public',
  'GET /api/v1/mail/rating': 'public',
  'POST /api/v1/mail/rating': 'public',
  // Email in (issue 15): how mail reaches the help desk and the import log are for administrators.
  'GET /api/v1/mail/mailbox': 'admin',
  'PUT /api/v1/mail/mailbox': 'admin',
  'POST /api/v1/mail/mailbox/test': 'admin',
  'GET /api/v1/mail/imports': 'admin',
  'POST /api/v1/mail/imports/{id}/retry': 'admin',
  // Webhooks (issue 15): administrators only.
  'GET /api/v1/webhooks': 'admin',
  'POST /api/v1/webhooks': 'admin',
  'PATCH /api/v1/webhooks/{id}': 'admin',
  'DELETE /api/v1/webhooks/{id}': 'admin',
  'POST /api/v1/webhooks/{id}/rotate-secret': 'admin',
  'POST /api/v1/webhooks/{id}/test': 'admin',
  'GET /api/v1/webhooks/{id}/deliveries': 'admin',
  'POST /api/v1/webhook-deliveries/{id}/redeliver': 'admin',
  // API tokens: anyone on staff manages their own; administrators the service tokens.
  'GET /api/v1/me/tokens': 'staff',
  'POST /api/v1/me/tokens': 'staff',
  'DELETE /api/v1/me/tokens/{id}': 'staff',
  'GET /api/v1/service-tokens': 'admin',
  'POST /api/v1/service-tokens': 'admin',
  'DELETE /api/v1/service-tokens/{id}': 'admin',
};

type Caller = 'anonymous' | 'device' | 'technician' | 'admin';
const DENIED = [401, 403];

/** The status a caller must get when not allowed: 401 without valid credentials of the right kind, 403 for a technician on admin routes. */
function expectedDenial(access: Access, caller: Caller): number | null {
  if (access === 'public') return null;
  if (caller === 'anonymous') return 401;
  const allowed: Record<Exclude<Access, 'public'>, Caller[]> = {
    device: ['device'],
    staff: ['technician', 'admin'],
    admin: ['admin'],
    'device|staff': ['device', 'technician', 'admin'],
  };
  if (allowed[access].includes(caller)) return null;
  return access === 'admin' && caller === 'technician' ? 403 : 401;
}

describeEachDatabase('authorization matrix', (dialect) => {
  let s: TestServer;
  let routes: Route[];
  let device: EnrolledDevice;
  let stranger: EnrolledDevice;
  let tech: StaffSession;
  let admin: StaffSession;
  beforeAll(async () => {
    s = await createTestServer(dialect);
    routes = await documentedRoutes(s);
    device = await s.enroll();
    // Enrolled up front: the matrix revokes enrollment secret #1 on its way through DELETE /enroll-secrets/{id}.
    stranger = await s.enroll();
    [tech, admin] = [s.tech, s.admin];
  });
  afterAll(() => s.close());

  it('lists every documented route, and only those', () => {
    const documented = routes.map((r) => `${r.method} ${r.path}`).sort();
    expect(documented).toEqual(Object.keys(MATRIX).sort());
  });

  it('lets exactly the right callers past authentication on every route', async () => {
    const headers: Record<Caller, Record<string, string>> = {
      anonymous: {},
      device: device.headers,
      technician: tech.headers,
      admin: admin.headers,
    };
    for (const route of routes) {
      // Signing out would end the sessions the rest of the matrix uses.
      if (route.path.endsWith('/logout') || route.streaming) continue;
      const access = MATRIX[`${route.method} ${route.path}`] ?? 'admin';
      for (const caller of Object.keys(headers) as Caller[]) {
        const res = await s.inject({
          method: route.method,
          url: fillPath(route.path),
          headers: { ...headers[caller], 'idempotency-key': 'matrix-key-0001' },
          ...(route.hasBody ? { payload: {} } : {}),
        });
        const denial = expectedDenial(access, caller);
        const what = `${route.method} ${route.path} as ${caller} (${access})`;
        if (denial === null) expect(DENIED, what).not.toContain(res.statusCode);
        else expect(res.statusCode, what).toBe(denial);
      }
    }
  });

  it("hides one device's tickets from another: 404, never 403, on every ticket route", async () => {
    const owner = device;
    const id = await fileTicket(s, owner, { subject: 'Private problem' });
    await postMessage(s, tech, id, { body: 'Internal only', internal: true });
    const ticketRoutes = routes.filter(
      (r) =>
        r.path.includes('{id}') &&
        ['device', 'device|staff'].includes(MATRIX[`${r.method} ${r.path}`] ?? '') &&
        /tickets/.test(r.path),
    );
    expect(ticketRoutes.length).toBeGreaterThanOrEqual(6);
    for (const route of ticketRoutes) {
      const payload = route.path.endsWith('/messages')
        ? { body: 'hello' }
        : route.path.endsWith('/rating')
          ? { satisfaction: 5 }
          : {};
      const res = await s.inject({
        method: route.method,
        url: fillPath(route.path, () => String(id)),
        headers: stranger.headers,
        ...(route.hasBody || route.method === 'POST' ? { payload } : {}),
      });
      expect(res.statusCode, `${route.method} ${route.path}`).toBe(404);
    }
    const own = await s.inject({ method: 'GET', url: `/api/v1/tickets/${id}/messages`, headers: owner.headers });
    expect(own.statusCode).toBe(200);
    expect(JSON.stringify(own.json())).not.toContain('Internal only');
  });
});
