import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ed25519Verifier } from '../../src/main/services/command-verifier';
import { ed25519Signer } from '../../src/server/actions/command-crypto';
import { commandKeyPair } from '../../src/server/actions/command-keys.service';
import { openDatabase, type Db } from '../../src/server/db/database';
import { signCommand, verifyCommand } from '../../src/shared/actions/command-signing';
import { createTestServer, describeEachDatabase, type TestServer } from './harness';

/* The installation's command-signing key: one per database, whichever process creates it; agents get its public half at enrollment. */
describeEachDatabase('command keys', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await createTestServer(dialect);
  });
  afterAll(() => s.close());

  const rows = () => s.db.kysely.selectFrom('command_keys').selectAll().execute();
  const ctxOf = (db: Db) => ({ db, now: () => s.clock.now });

  it('creates the key once, as Ed25519 PEM, and answers the same one after', async () => {
    await s.db.kysely.deleteFrom('command_keys').execute();
    const first = await commandKeyPair(s.ctx);
    expect(first.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(first.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(await commandKeyPair(s.ctx)).toEqual(first);
    expect(await rows()).toEqual([
      expect.objectContaining({ purpose: 'commands', algorithm: 'ed25519', public_key: first.publicKeyPem }),
    ]);
  });

  it('concurrent first uses, from two server instances on one database, end with one key', async () => {
    await s.db.kysely.deleteFrom('command_keys').execute();
    // PostgreSQL: a second pool on the same schema is a second server process's view of the database.
    let second: Db | undefined;
    if (dialect === 'postgres') {
      const { rows: found } = await sql<{ name: string }>`select current_schema() as name`.execute(s.db.kysely);
      second = openDatabase({ url: String(process.env.DATABASE_URL), schema: found[0]!.name, poolSize: 4 });
    }
    try {
      const handles = [s.db, second ?? s.db];
      const keys = await Promise.all(Array.from({ length: 12 }, (_, i) => commandKeyPair(ctxOf(handles[i % 2]!))));
      expect(new Set(keys.map((k) => k.publicKeyPem)).size).toBe(1);
      expect(new Set(keys.map((k) => k.privateKeyPem)).size).toBe(1);
      expect(await rows()).toHaveLength(1);
    } finally {
      await second?.destroy();
    }
  });

  it('enrollment answers the public key (never the private one), the same on every enrollment', async () => {
    const enroll = () =>
      s.inject({
        method: 'POST',
        url: '/api/v1/enroll',
        payload: {
          enrollSecret: s.enrollSecret,
          machineId: `machine-${randomBytes(6).toString('hex')}`,
          hostname: 'lt-keys',
          os: { platform: 'linux', name: 'Ubuntu', version: '24.04' },
          agentVersion: '0.1.0',
        },
      });
    const first = await enroll();
    expect(first.statusCode).toBe(201);
    const body = first.json() as { deviceId: string; commandKey: string };
    const stored = await commandKeyPair(s.ctx);
    expect(body.commandKey).toBe(stored.publicKeyPem);
    expect(first.body).not.toMatch(/PRIVATE KEY/);
    expect(((await enroll()).json() as { commandKey: string }).commandKey).toBe(body.commandKey);

    // What the agent pinned verifies what the server signs with the stored key.
    const now = s.clock.now;
    const signed = signCommand(
      {
        id: randomUUID(),
        deviceId: body.deviceId,
        action: 'net.tcp-check',
        params: { host: '127.0.0.1', port: 8443 },
        issuedAt: new Date(now).toISOString(),
        expiresAt: new Date(now + 60_000).toISOString(),
        nonce: randomBytes(24).toString('base64url'),
        requestedBy: { id: s.tech.id, name: 'technician' },
        ticketId: null,
      },
      stored.privateKeyPem,
      ed25519Signer,
    );
    const verified = verifyCommand(JSON.parse(JSON.stringify(signed)), {
      publicKeyPem: body.commandKey,
      deviceId: body.deviceId,
      now,
      seenNonce: () => false,
      verifier: ed25519Verifier,
    });
    expect(verified).toMatchObject({ ok: true, value: { action: { name: 'net.tcp-check' } } });
  });
});
