import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAction } from '../../src/main/actions/action-runner';
import { createProcessRunner } from '../../src/main/actions/process-runner';
import { createSpeedTestClient } from '../../src/main/services/speed-test-client';
import { actionByName } from '../../src/shared/actions/catalog';
import { ROUTES } from '../../src/shared/api/endpoint-routes';
import {
  SPEED_TEST_CONTENT_TYPE,
  SPEED_TEST_MAX_BYTES,
  SPEED_TEST_TRANSFERS_PER_MINUTE,
} from '../../src/shared/api/speed-test';
import { createTestServer, describeEachDatabase, type EnrolledDevice, type TestServer } from './harness';

/*
 * The speed test against the real server on 127.0.0.1: the payloads are the size asked for, capped,
 * for enrolled devices only and rate limited; the agent's client measures through them, and the
 * catalog's net.speed-test runs end to end with it.
 */
describeEachDatabase('speed test', (dialect) => {
  let s: TestServer;
  let url: string;
  beforeAll(async () => {
    s = await createTestServer(dialect);
    url = await s.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => s?.close());

  const MB = 1024 * 1024;
  const download = (device: EnrolledDevice | null, bytes: number | string) =>
    fetch(`${url}${ROUTES.speedTestDownload.path}?bytes=${bytes}`, { headers: device?.headers ?? {} });
  const upload = (device: EnrolledDevice, body: RequestInit['body'], headers: Record<string, string> = {}) =>
    fetch(`${url}${ROUTES.speedTestUpload.path}`, {
      method: 'POST',
      headers: { ...device.headers, 'content-type': SPEED_TEST_CONTENT_TYPE, ...headers },
      body,
      duplex: 'half',
    } as RequestInit);

  it('the catalog’s largest test fits the server’s cap', () => {
    const largest = actionByName('net.speed-test')!.params.safeParse({ megabytes: 100 });
    expect(largest.success).toBe(true);
    expect(actionByName('net.speed-test')!.params.safeParse({ megabytes: 101 }).success).toBe(false);
    expect(SPEED_TEST_MAX_BYTES).toBe(100 * MB);
  });

  it('downloads exactly the bytes asked for, incompressible; uploads are counted and discarded', async () => {
    const device = await s.enroll();
    const res = await download(device, 3 * MB + 17);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(SPEED_TEST_CONTENT_TYPE);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBe(3 * MB + 17);
    // Random bytes: gzip cannot make a link look faster than it is.
    const { gzipSync } = await import('node:zlib');
    expect(gzipSync(body.subarray(0, MB)).length).toBeGreaterThan(0.99 * MB);

    const up = await upload(device, new Uint8Array(2 * MB + 5));
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ bytes: 2 * MB + 5, ms: expect.any(Number) });
  });

  it('refuses callers without a device token, sizes out of range, other bodies and uploads over the cap', async () => {
    const device = await s.enroll();
    expect((await download(null, 1000)).status).toBe(401);
    const staff = await fetch(`${url}${ROUTES.speedTestDownload.path}?bytes=1000`, { headers: s.tech.headers });
    expect(staff.status).toBe(401);
    for (const bytes of [0, -1, SPEED_TEST_MAX_BYTES + 1, 'lots']) {
      const res = await download(device, bytes);
      expect(res.status, String(bytes)).toBe(400);
    }
    const json = await upload(device, JSON.stringify({ bytes: 5 }), { 'content-type': 'application/json' });
    expect(json.status).toBe(415);
    // Declared too large: refused before a byte is read (node:http, which sends the header as written).
    const declared = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${url}${ROUTES.speedTestUpload.path}`, {
        method: 'POST',
        agent: false,
        headers: {
          ...device.headers,
          'content-type': SPEED_TEST_CONTENT_TYPE,
          'content-length': String(SPEED_TEST_MAX_BYTES + 1),
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({ error: { code: 'speed_test_too_large' } });
    // Streamed without a length, past the cap: cut off with 413.
    const other = await s.enroll();
    const block = new Uint8Array(MB);
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > SPEED_TEST_MAX_BYTES + 2 * MB) return controller.close();
        sent += block.length;
        controller.enqueue(block);
      },
    });
    const over = await upload(other, endless).catch((error: unknown) => error);
    if (over instanceof Response) {
      expect(over.status).toBe(413);
      expect(await over.json()).toMatchObject({ error: { code: 'speed_test_too_large' } });
    } else {
      // The server may close the connection while the client still writes: the upload did not go through.
      expect(over).toBeInstanceOf(Error);
    }
  });

  it(`rate limits each device to ${SPEED_TEST_TRANSFERS_PER_MINUTE} transfers a minute, not the others`, async () => {
    const busy = await s.enroll();
    for (let i = 0; i < SPEED_TEST_TRANSFERS_PER_MINUTE; i++) {
      const res = await download(busy, 1000);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    const refused = await download(busy, 1000);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: { code: 'too_many_speed_tests' } });
    const upRefused = await upload(busy, new Uint8Array(10));
    expect(upRefused.status).toBe(429);
    const calm = await s.enroll();
    expect((await download(calm, 1000)).status).toBe(200);
  });

  it('the agent’s client measures through the real endpoints; net.speed-test runs end to end', async () => {
    const device = await s.enroll();
    const client = createSpeedTestClient({ baseUrl: () => url, token: () => device.token });
    const signal = new AbortController().signal;
    const down = await client.download(4 * MB, signal);
    expect(down).toMatchObject({ ok: true, value: { bytes: 4 * MB } });
    const up = await client.upload(4 * MB, signal);
    expect(up).toMatchObject({ ok: true, value: { bytes: 4 * MB } });
    if (down.ok) expect(down.value.ms).toBeGreaterThan(0);

    const result = await runAction(
      'net.speed-test',
      { megabytes: 5 },
      { runner: createProcessRunner(), ports: { speedTest: client }, signal },
    );
    expect(result).toMatchObject({ ok: true, error: null });
    expect(result.fields).toMatchObject({ bytes: 5 * MB });
    expect(result.fields.downloadMbps).toBeGreaterThan(0);
    expect(result.fields.uploadMbps).toBeGreaterThan(0);
    expect(result.output).toMatch(/^Download [\d.]+ Mbit\/s, upload [\d.]+ Mbit\/s/);

    // A device token the server does not know, and no enrollment at all: a clear failure, nothing thrown.
    const stranger = createSpeedTestClient({ baseUrl: () => url, token: () => 'not-a-token' });
    expect(await stranger.download(MB, signal)).toMatchObject({ ok: false, error: { code: 'http' } });
    const unenrolled = createSpeedTestClient({ baseUrl: () => url, token: () => null });
    expect(await unenrolled.upload(MB, signal)).toMatchObject({ ok: false, error: { code: 'not-enrolled' } });
  });

  it('stops a transfer at its time box and reports what moved', async () => {
    const device = await s.enroll();
    const client = createSpeedTestClient({ baseUrl: () => url, token: () => device.token, maxMs: 1 });
    const signal = new AbortController().signal;
    const down = await client.download(SPEED_TEST_MAX_BYTES, signal);
    expect(down, JSON.stringify(down)).toMatchObject({ ok: true });
    if (down.ok) expect(down.value.bytes).toBeLessThan(SPEED_TEST_MAX_BYTES);
    const up = await client.upload(SPEED_TEST_MAX_BYTES, signal);
    expect(up, JSON.stringify(up)).toMatchObject({ ok: true });
    if (up.ok) expect(up.value.bytes).toBeLessThan(SPEED_TEST_MAX_BYTES);
  });
});
