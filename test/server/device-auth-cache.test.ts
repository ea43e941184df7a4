import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_AUTH_TTL_MS, DeviceAuthCache, deviceAuthCacheOf } from '../../src/server/auth/device-auth-cache';
import { EventBus } from '../../src/server/events/event-bus';
import { createTestServer, describeEachDatabase, enrollSettled, type EnrolledDevice, type TestServer } from './harness';

/*
 * Device authentication is remembered per process for a few seconds (src/server/auth/device-auth-cache.ts):
 * a device's requests after its first skip the token lookup, and a revoked or rotated token is still refused
 * from the very next request.
 */

describe('the device authentication cache', () => {
  const device = (id: string) => ({ identity: { id }, lastSeenAt: 0 });

  it('remembers a token for its TTL only', () => {
    const cache = new DeviceAuthCache<{ id: string }>(1000);
    cache.remember('h1', 'd1', device('d1'), 5000, cache.generation);
    expect(cache.get('h1', 5999)?.identity.id).toBe('d1');
    expect(cache.get('h1', 6000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not store a lookup that began before a forget (a revoke committed during the query)', () => {
    const cache = new DeviceAuthCache<{ id: string }>();
    const began = cache.generation;
    cache.forgetDevice('d1');
    const handed = cache.remember('h1', 'd1', device('d1'), 0, began);
    expect(handed.identity.id).toBe('d1');
    expect(cache.get('h1', 1)).toBeUndefined();
  });

  it("forgets all of a device's tokens and nobody else's; drops the oldest when full", () => {
    const cache = new DeviceAuthCache<{ id: string }>(60_000, 3);
    cache.remember('old', 'd1', device('d1'), 0, cache.generation);
    cache.remember('new', 'd1', device('d1'), 0, cache.generation);
    cache.remember('other', 'd2', device('d2'), 0, cache.generation);
    cache.forgetDevice('d1');
    expect([cache.get('old', 1), cache.get('new', 1)]).toEqual([undefined, undefined]);
    expect(cache.get('other', 1)?.identity.id).toBe('d2');
    for (const h of ['a', 'b', 'c']) cache.remember(h, h, device(h), 0, cache.generation);
    expect(cache.size).toBe(3);
    expect(cache.get('other', 1)).toBeUndefined();
    expect(cache.get('c', 1)?.identity.id).toBe('c');
  });

  it("follows the bus: a revoked or re-enrolled device's tokens, or everything on a resync", async () => {
    const bus = new EventBus();
    const cache = deviceAuthCacheOf<{ id: string }>(bus);
    expect(deviceAuthCacheOf(bus)).toBe(cache);
    const fill = () => {
      for (const d of ['d1', 'd2', 'd3']) cache.remember(`h-${d}`, d, device(d), 0, cache.generation);
    };
    fill();
    bus.publish({ kind: 'device-revoked', deviceId: 'd1' });
    bus.publish({ kind: 'device-token', deviceId: 'd2' });
    await expect.poll(() => cache.size).toBe(1);
    expect(cache.get('h-d3', 1)?.identity.id).toBe('d3');
    fill();
    bus.publish({ kind: 'resync' });
    await expect.poll(() => cache.size).toBe(0);
    await bus.stop();
  });
});

describeEachDatabase('device authentication, remembered', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await createTestServer(dialect);
  });
  afterAll(() => s.close());

  const enrolled = (overrides: Record<string, unknown> = {}) => enrollSettled(s, overrides);
  const tickets = (device: EnrolledDevice) =>
    s.inject({ method: 'GET', url: '/api/v1/device/tickets', headers: device.headers });
  /** What another server process does when it revokes: the row, then the bus's event. */
  const revokeInDatabase = (device: EnrolledDevice) =>
    s.db.kysely.updateTable('devices').set({ token_revoked_at: s.clock.now }).where('id', '=', device.id).execute();

  it('skips the lookup within the TTL, then reads the database again', async () => {
    const device = await enrolled();
    expect((await tickets(device)).statusCode).toBe(200);
    // Revoked behind this process's back (no event): still remembered until the TTL runs out.
    await revokeInDatabase(device);
    expect((await tickets(device)).statusCode).toBe(200);
    s.clock.advance(DEVICE_AUTH_TTL_MS);
    const refused = await tickets(device);
    expect(refused.statusCode).toBe(401);
    expect(refused.json<{ error: { code: string } }>().error.code).toBe('invalid_device_token');
  });

  it("refuses a device revoked by another process as soon as that process's event arrives", async () => {
    const device = await enrolled();
    expect((await tickets(device)).statusCode).toBe(200);
    await revokeInDatabase(device);
    expect((await tickets(device)).statusCode).toBe(200);
    s.ctx.bus.publish({ kind: 'device-revoked', deviceId: device.id });
    await expect.poll(async () => (await tickets(device)).statusCode).toBe(401);
  });

  it("refuses a device's token from the request right after an admin revoked it", async () => {
    const device = await s.enroll();
    expect((await tickets(device)).statusCode).toBe(200);
    const revoked = await s.inject({
      method: 'POST',
      url: `/api/v1/devices/${device.id}/revoke`,
      headers: s.admin.headers,
    });
    expect(revoked.statusCode).toBe(204);
    expect((await tickets(device)).statusCode).toBe(401);
  });

  it('refuses the old token from the request right after the machine enrolled again', async () => {
    const machineId = 'machine-reenrolled';
    const first = await s.enroll({ machineId });
    expect((await tickets(first)).statusCode).toBe(200);
    const second = await s.enroll({ machineId });
    expect(second.id).toBe(first.id);
    expect((await tickets(first)).statusCode).toBe(401);
    expect((await tickets(second)).statusCode).toBe(200);
  });
});
