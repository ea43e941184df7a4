import { afterAll, beforeAll, expect, it } from 'vitest';
import { ONLINE_WINDOW_MS } from '../../src/shared/presence';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';
import { fileTicket } from './ticket-helpers';

/* Online or offline, from when each device was last seen; the list filters by it. */
describeEachDatabase('device presence', (dialect) => {
  let s: TestServer;
  let fresh: EnrolledDevice;
  let stale: EnrolledDevice;
  let tickets: { fresh: number; stale: number };
  beforeAll(async () => {
    s = await createTestServer(dialect);
    [fresh, stale] = [await s.enroll({ hostname: 'lt-present' }), await s.enroll({ hostname: 'lt-away' })];
    // Tickets first: filing one marks its device seen.
    tickets = { fresh: await fileTicket(s, fresh), stale: await fileTicket(s, stale) };
    await s.db.kysely
      .updateTable('devices')
      .set({ last_seen_at: s.clock.now - 10_000 })
      .where('id', '=', fresh.id)
      .execute();
    await s.db.kysely
      .updateTable('devices')
      .set({ last_seen_at: s.clock.now - 10 * 60_000 })
      .where('id', '=', stale.id)
      .execute();
  });
  afterAll(() => s.close());

  const list = (query: string) => s.inject({ method: 'GET', url: `/api/v1/devices?${query}`, headers: s.tech.headers });
  const hostnames = async (query: string) =>
    ((await list(query)).json() as { devices: { hostname: string }[] }).devices.map((d) => d.hostname).sort();

  it('shows a device seen within the window as online, one seen 10 minutes ago as offline', async () => {
    const devices = (
      (await list('limit=50')).json() as { devices: { id: string; online: boolean; lastSeenAt: string }[] }
    ).devices;
    expect(devices.find((d) => d.id === fresh.id)?.online).toBe(true);
    expect(devices.find((d) => d.id === stale.id)?.online).toBe(false);
    const page = await s.inject({ method: 'GET', url: `/api/v1/devices/${stale.id}`, headers: s.tech.headers });
    expect(page.json()).toMatchObject({ online: false, lastSeenAt: new Date(s.clock.now - 10 * 60_000).toISOString() });
  });

  it('filters the queue by its devices being online', async () => {
    const queue = async (query: string) =>
      (
        (await s.inject({ method: 'GET', url: `/api/v1/tickets?${query}`, headers: s.tech.headers })).json() as {
          tickets: { id: number }[];
        }
      ).tickets.map((t) => t.id);
    expect(await queue('online=true')).toEqual([tickets.fresh]);
    expect(await queue('online=false')).toEqual([tickets.stale]);
  });

  it('filters the list by online state, and goes offline once the window passes', async () => {
    expect(await hostnames('online=true')).toEqual(['lt-present']);
    expect(await hostnames('online=false')).toEqual(['lt-away']);
    s.clock.advance(ONLINE_WINDOW_MS);
    expect(await hostnames('online=true')).toEqual([]);
    expect((await list('online=maybe')).statusCode).toBe(400);
  });
});
