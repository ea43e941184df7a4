import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeProcessRunner } from '../../../test/fakes/process-runner.fake';
import { runAction } from './action-runner';
import type { HttpTimings } from './http-check.action';

const runner = fakeProcessRunner();

describe('net.dns-lookup', () => {
  it('resolves localhost through the system resolver', async () => {
    const result = await runAction('net.dns-lookup', { name: 'localhost', type: 'A' }, { runner });
    expect(result.error).toBeNull();
    expect(result.fields).toMatchObject({ name: 'localhost', type: 'A', resolver: 'system' });
    expect(result.fields.records).toContain('127.0.0.1');
    expect(result.output).toContain('localhost A: ');
    expect(runner.calls).toEqual([]);
  });

  it('asks the servers it is pointed at (a closed loopback port: an error answer, no hang)', async () => {
    const result = await runAction(
      'net.dns-lookup',
      { name: 'localhost', type: 'TXT' },
      {
        runner,
        ports: { dnsServers: ['127.0.0.1:9'] },
        limits: { timeoutMs: 15_000 },
      },
    );
    expect(result.ok).toBe(false);
    expect(['dns-error', 'timeout']).toContain(result.error?.code);
    expect(result.fields).toMatchObject({ name: 'localhost', type: 'TXT', records: [] });
  });
});

describe('net.tcp-check', () => {
  let port = 0;
  const server = createTcpServer((socket) => socket.end());
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('connects to a test server on 127.0.0.1 and times it', async () => {
    const result = await runAction('net.tcp-check', { host: '127.0.0.1', port }, { runner });
    expect(result.error).toBeNull();
    expect(result.fields).toMatchObject({ host: '127.0.0.1', port, connected: true, address: '127.0.0.1' });
    expect(result.fields.connectMs).toBeTypeOf('number');
  });

  it('reports a refused port', async () => {
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const free = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await runAction('net.tcp-check', { host: '127.0.0.1', port: free }, { runner });
    expect(result).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(result.fields).toMatchObject({ connected: false, errorCode: 'ECONNREFUSED' });
  });
});

describe('net.http-check', () => {
  let port = 0;
  let server: Server;
  beforeAll(async () => {
    server = createHttpServer((req, res) => {
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 5000);
      res.writeHead(req.url === '/health?full=1' ? 200 : 404, { 'content-type': 'text/plain' });
      res.end('x'.repeat(1000));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

  it('answers status and timings from a test server on 127.0.0.1', async () => {
    const result = await runAction(
      'net.http-check',
      { scheme: 'http', host: '127.0.0.1', port, path: '/health?full=1' },
      { runner },
    );
    expect(result.error).toBeNull();
    expect(result.fields).toMatchObject({
      url: `http://127.0.0.1:${port}/health?full=1`,
      status: 200,
      bytes: 1000,
      tlsProtocol: null,
    });
    const t = result.fields.timings as HttpTimings;
    expect(t.tlsMs).toBeNull();
    expect(t.connectMs).toBeTypeOf('number');
    expect(t.firstByteMs!).toBeGreaterThanOrEqual(t.connectMs!);
    expect(t.totalMs).toBeGreaterThanOrEqual(t.firstByteMs!);
  });

  it('times the DNS step when given a name, and reports any status as an answer', async () => {
    const result = await runAction(
      'net.http-check',
      { scheme: 'http', host: 'localhost', port, path: '/missing' },
      { runner },
    );
    expect(result.ok).toBe(true);
    expect(result.fields.status).toBe(404);
    expect((result.fields.timings as HttpTimings).dnsMs).toBeTypeOf('number');
  });

  it('ends at the timeout when the server does not answer', async () => {
    const result = await runAction(
      'net.http-check',
      { scheme: 'http', host: '127.0.0.1', port, path: '/slow' },
      {
        runner,
        limits: { timeoutMs: 200 },
      },
    );
    expect(result.error?.code).toBe('timeout');
  });

  it('reports a TLS failure against a plain HTTP port', async () => {
    const result = await runAction(
      'net.http-check',
      { scheme: 'https', host: '127.0.0.1', port, path: '/' },
      { runner },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'request-failed' } });
  });
});
