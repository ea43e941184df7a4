import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type RegisteredRoute } from '../../src/server/app';
import { createStaff } from '../../src/server/auth/staff.service';
import { serverConfigSchema, type ServerConfigInput } from '../../src/server/config';
import type { ChannelHub, ChannelHubOptions } from '../../src/server/channel/channel-hub';
import type { RemoteRelayOptions } from '../../src/server/remote/remote-relay';
import type { ServerContext } from '../../src/server/context';
import { createPgSchema, dropPgSchema, openDatabase, type Db, type Dialect } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';
import { createEnrollSecret } from '../../src/server/devices/enroll-secrets.service';
import type { App } from '../../src/server/http/types';

/** The databases every server suite runs on: SQLite always, PostgreSQL when DATABASE_URL is set. */
export const DIALECTS: Dialect[] = ['sqlite', ...(process.env.DATABASE_URL ? (['postgres'] as const) : [])];

if (!process.env.DATABASE_URL) {
  // Said once per test process, so a run without PostgreSQL is never mistaken for a full run.
  console.warn(
    'PostgreSQL server tests skipped: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run them too.',
  );
}

/** Runs a suite once per database, with the dialect in its name. */
export function describeEachDatabase(name: string, suite: (dialect: Dialect) => void): void {
  for (const dialect of DIALECTS) describe(`${name} [${dialect}]`, () => suite(dialect));
}

export const PASSWORD = 'correct horse battery staple';

/** A signed-in staff member: cookie and CSRF token for requests. */
export interface StaffSession {
  id: number;
  email: string;
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

/** An enrolled device and its bearer header. */
export interface EnrolledDevice {
  id: string;
  token: string;
  headers: Record<string, string>;
}

export interface TestServer {
  app: App;
  /** Every route the app registered, with its endpoint-table name. */
  routes: RegisteredRoute[];
  ctx: ServerContext;
  /** The live channel's connections in this server. */
  channel: ChannelHub;
  db: Db;
  clock: { now: number; advance(ms: number): void };
  enrollSecret: string;
  admin: StaffSession;
  tech: StaffSession;
  /** Signs in an existing staff account. */
  login(email: string, password?: string): Promise<StaffSession>;
  /** Creates and signs in a staff account. */
  staff(role: 'admin' | 'technician', group?: string | null): Promise<StaffSession>;
  enroll(overrides?: Record<string, unknown>): Promise<EnrolledDevice>;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** A fresh server over a fresh database (a new PostgreSQL schema per server), with an admin and a technician signed in. */
export async function createTestServer(
  dialect: Dialect,
  config: ServerConfigInput = {},
  options: {
    /** PostgreSQL: the server's connections go to this URL instead (e.g. a relay to the same server). */ pgUrl?: string;
    /** The live channel's timings. */
    channel?: ChannelHubOptions;
    /** The remote-control relay's timings. */
    remote?: RemoteRelayOptions;
    /** SQLite: this file instead of an in-memory database (for tests that open a second connection to it). */
    sqliteFile?: string;
  } = {},
): Promise<TestServer> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const url = dialect === 'postgres' ? String(process.env.DATABASE_URL) : (options.sqliteFile ?? ':memory:');
  if (dialect === 'postgres') await createPgSchema(url, schema);
  const db = openDatabase({
    url: dialect === 'postgres' ? (options.pgUrl ?? url) : url,
    schema: dialect === 'postgres' ? schema : undefined,
    poolSize: 8,
  });
  await migrateToLatest(db);
  const clock = {
    now: Date.parse('2026-03-02T09:00:00.000Z'),
    advance(ms: number) {
      clock.now += ms;
    },
  };
  const { app, ctx, routes, channel } = await buildApp({
    db,
    config: serverConfigSchema.parse({ logLevel: 'silent', ...config }),
    now: () => clock.now,
    ...(options.channel ? { channel: options.channel } : {}),
    ...(options.remote ? { remote: options.remote } : {}),
  });
  const inject = (options: InjectOptions) => app.inject(options);

  const login = async (email: string, password = PASSWORD): Promise<StaffSession> => {
    const res = await inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    if (res.statusCode !== 200 || !res.json<{ signedIn: boolean }>().signedIn)
      throw new Error(`login failed: ${res.statusCode} ${res.body}`);
    const cookie = String(res.cookies.find((c) => c.name === 'deskside_session')?.value);
    const body = res.json() as { user: { id: number }; csrfToken: string };
    return {
      id: body.user.id,
      email,
      cookie,
      csrf: body.csrfToken,
      headers: { cookie: `deskside_session=${cookie}`, 'x-csrf-token': body.csrfToken },
    };
  };
  let seq = 0;
  const staff = async (role: 'admin' | 'technician', group: string | null = null) => {
    const email = `${role}${++seq}@example.com`;
    await createStaff(db, { email, name: `${role} ${seq}`, role, password: PASSWORD, group }, clock.now);
    return login(email);
  };
  const { secret } = await createEnrollSecret(db, 'tests', clock.now);
  const enroll = async (overrides: Record<string, unknown> = {}): Promise<EnrolledDevice> => {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/enroll',
      payload: {
        enrollSecret: secret,
        machineId: `machine-${randomBytes(6).toString('hex')}`,
        hostname: 'lt-test',
        os: { platform: 'linux', name: 'Ubuntu', version: '24.04' },
        agentVersion: '0.1.0',
        ...overrides,
      },
    });
    if (res.statusCode !== 201) throw new Error(`enroll failed: ${res.statusCode} ${res.body}`);
    const body = res.json() as { deviceId: string; deviceToken: string };
    return { id: body.deviceId, token: body.deviceToken, headers: { authorization: `Bearer ${body.deviceToken}` } };
  };
  const [admin, tech] = await Promise.all([staff('admin'), staff('technician', 'tier1')]);
  return {
    app,
    routes,
    channel,
    ctx,
    db,
    clock,
    enrollSecret: secret,
    admin,
    tech,
    login,
    staff,
    enroll,
    inject,
    async close() {
      await app.close();
      await db.destroy();
      if (dialect === 'postgres') await dropPgSchema(url, schema);
    },
  };
}

/** What a suite with two enrolled devices works with: the server, a device, and a stranger device. */
export interface TwoDeviceSuite {
  s: TestServer;
  device: EnrolledDevice;
  other: EnrolledDevice;
}

/** Sets up (and tears down) one server with two enrolled devices for the surrounding suite. */
export function withTwoDevices(dialect: Dialect, receive: (suite: TwoDeviceSuite) => void): void {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await createTestServer(dialect);
    const [device, other] = await Promise.all([server.enroll(), server.enroll()]);
    receive({ s: server, device, other });
  });
  afterAll(() => server?.close());
}

/**
 * Enrolls a device and resolves once the enrollment's own `device-token` event is back through the bus. That
 * event makes the process forget the device's token: on PostgreSQL it is a NOTIFY, which may arrive after the
 * device's first request and forget what that request remembered (src/server/auth/device-auth-cache.ts).
 */
export async function enrollSettled(s: TestServer, overrides: Record<string, unknown> = {}): Promise<EnrolledDevice> {
  const heard = new Set<string>();
  let settle: (() => void) | null = null;
  let awaited: string | null = null;
  const unsubscribe = s.ctx.bus.subscribe((e) => {
    if (e.kind !== 'device-token') return;
    heard.add(e.deviceId);
    if (e.deviceId === awaited) settle?.();
  });
  try {
    const device = await s.enroll(overrides);
    awaited = device.id;
    if (!heard.has(device.id)) await new Promise<void>((resolve) => (settle = resolve));
    return device;
  } finally {
    unsubscribe();
  }
}
