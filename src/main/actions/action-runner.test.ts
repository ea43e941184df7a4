import { describe, expect, it } from 'vitest';
import { ACTIONS, ACTION_NAMES, type ActionName } from '../../shared/actions/catalog';
import { fakeProcessRunner } from '../../../test/fakes/process-runner.fake';
import { liveChildren } from '../../../test/helpers/child-processes';
import { runAction } from './action-runner';
import { createProcessRunner } from './process-runner';
import { ACTION_REGISTRY } from './registry';
import { done, type ActionContext, type ActionRegistry } from './types';

// Each attempt below must be refused by the catalog's schema before any implementation or program runs.
const INJECTIONS = [
  'example.com;id',
  'example.com; rm -rf ~',
  '$(id)',
  'a$(id)b',
  '`id`',
  'example.com\nid',
  'example.com\r\nid',
  '-oProxyCommand=id',
  '--help',
  '-',
  '../etc/passwd',
  '..',
  'a/../../b',
  'example.com|id',
  'example.com&&id',
  'a b',
  '\0',
];

/** Valid parameters for each action, so one string at a time can be replaced by an attack. */
const VALID: Record<ActionName, Record<string, unknown>> = {
  'snapshot.refresh': {},
  'net.ping': { host: 'localhost' },
  'net.traceroute': { host: 'localhost' },
  'net.dns-lookup': { name: 'localhost', type: 'A' },
  'net.tcp-check': { host: '127.0.0.1', port: 1 },
  'net.http-check': { scheme: 'http', host: '127.0.0.1', path: '/' },
  'net.speed-test': {},
  'process.top': { sortBy: 'cpu' },
  'logs.collect': { sinceMinutes: 10, level: 'warning' },
  'dns.flush-cache': {},
  'net.renew-dhcp': {},
  'printing.restart-spooler': {},
  'disk.clear-temp': {},
  'service.restart': { service: 'cups' },
  'process.end': { pid: 1234, name: 'sleep' },
  'package.install': { package: 'vlc' },
};

/** Every action's implementations replaced by spies that record a call and run nothing. */
function spyRegistry(): { registry: ActionRegistry; called: string[] } {
  const called: string[] = [];
  const registry = Object.fromEntries(
    ACTION_NAMES.map((name) => {
      const spy = async () => (called.push(name), done({}));
      return [name, { linux: spy, darwin: spy, win32: spy }];
    }),
  ) as unknown as ActionRegistry;
  return { registry, called };
}

describe('runAction: refusals run nothing', () => {
  const stringParams = ACTION_NAMES.flatMap((name) =>
    Object.entries(VALID[name])
      .filter(([, v]) => typeof v === 'string')
      .map(([field]) => [name, field] as const),
  );

  it('covers every string parameter of the catalog (free text and enums)', () => {
    expect(stringParams.map(([n, f]) => `${n}.${f}`).sort()).toEqual(
      [
        'net.dns-lookup.name',
        'net.dns-lookup.type',
        'net.http-check.host',
        'net.http-check.scheme',
        'logs.collect.level',
        'process.top.sortBy',
        'net.http-check.path',
        'net.ping.host',
        'net.tcp-check.host',
        'net.traceroute.host',
        'package.install.package',
        'process.end.name',
        'service.restart.service',
      ].sort(),
    );
  });

  for (const [name, field] of stringParams) {
    it(`refuses injection attempts in ${name} ${field} before any program runs`, async () => {
      for (const attack of INJECTIONS) {
        const runner = fakeProcessRunner();
        const { registry, called } = spyRegistry();
        const real = await runAction(name, { ...VALID[name], [field]: attack }, { runner, platform: 'linux' });
        const spied = await runAction(name, { ...VALID[name], [field]: attack }, { runner, implementations: registry });
        for (const result of [real, spied]) {
          expect(result.ok, `${name} ${field}=${JSON.stringify(attack)}`).toBe(false);
          expect(result.error?.code).toBe('bad-params');
          expect(result.error?.message).toMatch(new RegExp(`^${field}: `));
          expect(result.output).toBe('');
        }
        expect(runner.calls).toEqual([]);
        expect(called).toEqual([]);
      }
    });
  }

  it('refuses an unknown action, an unknown parameter and a wrong type', async () => {
    const runner = fakeProcessRunner();
    expect((await runAction('shell.run', { cmd: 'id' }, { runner })).error?.code).toBe('unknown-action');
    const extra = await runAction('net.ping', { host: 'localhost', args: '-f' }, { runner });
    expect(extra.error).toEqual({ code: 'bad-params', message: 'args: is not a parameter of this action' });
    expect((await runAction('net.ping', { host: 'localhost', count: '4; id' }, { runner })).error?.code).toBe(
      'bad-params',
    );
    expect(runner.calls).toEqual([]);
  });

  it('answers unsupported for an OS without an implementation', async () => {
    const runner = fakeProcessRunner();
    const result = await runAction(
      'net.ping',
      { host: 'localhost' },
      {
        runner,
        platform: 'darwin',
        implementations: { 'net.ping': { linux: async () => done({}) } },
      },
    );
    expect(result.error?.code).toBe('unsupported');
    expect(runner.calls).toEqual([]);
  });
});

describe('runAction: limits', () => {
  it('ends a long program at the timeout and answers without waiting for it', async () => {
    const started = performance.now();
    const result = await runAction(
      'net.ping',
      { host: 'localhost' },
      {
        runner: createProcessRunner(),
        platform: 'linux',
        limits: { timeoutMs: 200 },
        implementations: {
          'net.ping': { linux: async (_p, ctx) => done({}, (await ctx.exec('sleep', ['5'])).ok ? 0 : null) },
        },
      },
    );
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('timeout');
    expect(result.error?.message).toContain('200 ms');
    expect(performance.now() - started).toBeLessThan(3000);
    expect(result.durationMs).toBeGreaterThanOrEqual(190);
    // The program itself is gone too, not only waited for.
    if (process.platform === 'linux') await expect.poll(liveChildren).not.toContain('sleep');
  });

  it('answers at the timeout even when an implementation ignores its signal, and drops what it writes later', async () => {
    const chunks: string[] = [];
    let wroteLate: () => void = () => {};
    const late = new Promise<void>((resolve) => (wroteLate = resolve));
    const stubborn = async (_p: unknown, ctx: ActionContext) => {
      ctx.write('early\n');
      await new Promise((resolve) => setTimeout(resolve, 150));
      ctx.write('late\n');
      wroteLate();
      return done({ finished: true });
    };
    const result = await runAction(
      'process.top',
      {},
      {
        runner: fakeProcessRunner(),
        limits: { timeoutMs: 50 },
        onOutput: (c) => chunks.push(c),
        implementations: { 'process.top': { linux: stubborn, darwin: stubborn, win32: stubborn } },
      },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'timeout' }, fields: {}, output: 'early\n' });
    await late;
    expect(chunks).toEqual(['early\n']);
  });

  it('a caller cancels a run through its signal', async () => {
    const controller = new AbortController();
    const pending = runAction(
      'net.ping',
      { host: 'localhost' },
      {
        runner: createProcessRunner(),
        platform: 'linux',
        signal: controller.signal,
        implementations: { 'net.ping': { linux: async (_p, ctx) => (await ctx.exec('sleep', ['5']), done({})) } },
      },
    );
    setTimeout(() => controller.abort(), 50);
    const result = await pending;
    expect(result.error?.code).toBe('cancelled');
  });

  it('caps the output of a real program, says so, and streams only what it keeps', async () => {
    const chunks: string[] = [];
    const result = await runAction(
      'net.ping',
      { host: 'localhost' },
      {
        runner: createProcessRunner(),
        platform: 'linux',
        limits: { outputCapBytes: 1000 },
        onOutput: (chunk) => chunks.push(chunk),
        implementations: {
          'net.ping': { linux: async (_p, ctx) => done({}, (await ctx.exec('seq', ['1', '20000'])).ok ? 0 : null) },
        },
      },
    );
    expect(result.ok).toBe(true);
    expect(result.outputTruncated).toBe(true);
    const [body, note] = result.output.split('\n[output truncated');
    expect(Buffer.byteLength(body!, 'utf8')).toBeLessThanOrEqual(1000);
    expect(body!.startsWith('1\n2\n3\n')).toBe(true);
    expect(note).toMatch(/at most 1000 bytes\] \(\d+ bytes dropped\)/);
    expect(chunks.join('')).toContain(body!);
    expect(chunks.join('')).not.toContain('\n19999\n');
  });

  it('never raises the catalog limits', async () => {
    let seen = 0;
    const result = await runAction(
      'net.tcp-check',
      { host: '127.0.0.1', port: 9 },
      {
        runner: fakeProcessRunner(),
        limits: { outputCapBytes: 10 * 1024 * 1024 },
        implementations: {
          'net.tcp-check': {
            [process.platform as 'linux']: async (_p, ctx) => {
              ctx.write('x'.repeat(ACTIONS['net.tcp-check'].outputCapBytes + 10));
              seen++;
              return done({});
            },
          },
        },
      },
    );
    expect(seen).toBe(1);
    expect(result.outputTruncated).toBe(true);
  });

  it('reports an implementation that throws as a failed result', async () => {
    const boom = async () => {
      throw new Error('boom');
    };
    const result = await runAction(
      'process.top',
      {},
      {
        runner: fakeProcessRunner(),
        implementations: { 'process.top': { linux: boom, darwin: boom, win32: boom } },
      },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'failed', message: 'process.top failed: boom' } });
  });

  it('has an implementation for every catalog action on every platform it declares', () => {
    for (const name of ACTION_NAMES) {
      for (const platform of ACTIONS[name].platforms)
        expect(ACTION_REGISTRY[name][platform], `${name} ${platform}`).toBeTypeOf('function');
    }
  });
});
