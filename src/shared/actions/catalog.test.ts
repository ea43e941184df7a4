import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ACTION_NAMES, ACTIONS, actionByName, parseActionParams, type ActionName } from './catalog';

/** Valid parameters for every action, and which of them are free strings (the ones injection can target). */
const VALID: { [N in ActionName]: { params: Record<string, unknown>; strings: string[] } } = {
  'snapshot.refresh': { params: {}, strings: [] },
  'net.ping': { params: { host: 'intranet.example.com' }, strings: ['host'] },
  'net.traceroute': { params: { host: '10.0.0.1' }, strings: ['host'] },
  'net.dns-lookup': { params: { name: '_ldap._tcp.corp.example.com', type: 'SRV' }, strings: ['name'] },
  'net.tcp-check': { params: { host: '2001:db8::1', port: 443 }, strings: ['host'] },
  'net.http-check': { params: { host: 'intranet.example.com', path: '/health?full=1' }, strings: ['host', 'path'] },
  'net.speed-test': { params: {}, strings: [] },
  'process.top': { params: { count: 5 }, strings: [] },
  'logs.collect': { params: { sinceMinutes: 120, untilMinutes: 60 }, strings: [] },
  'dns.flush-cache': { params: {}, strings: [] },
  'net.renew-dhcp': { params: {}, strings: [] },
  'printing.restart-spooler': { params: { clearJobs: false }, strings: [] },
  'disk.clear-temp': { params: {}, strings: [] },
  'service.restart': {
    params: { service: 'print-spooler', serviceName: 'cups.service' },
    strings: ['service', 'serviceName'],
  },
  'process.end': { params: { pid: 4242, name: 'Teams.exe' }, strings: ['name'] },
  'package.install': {
    params: { package: 'firefox', install: [{ manager: 'apt', id: 'firefox' }] },
    strings: ['package'],
  },
};

const INJECTIONS = [
  'example.com; rm -rf /',
  '$(reboot)',
  '`reboot`',
  'example.com\nreboot',
  'example.com\r\nreboot',
  '-oProxyCommand=calc',
  '--help',
  '../../etc/passwd',
  '/srv/../../etc/passwd',
  'example.com\0',
  'a|b',
  'a&&b',
  'a b',
  "'quoted'",
  'a>out',
  '',
];

/** The free-string fields of an action's parameter schema (enums and numbers are closed sets already). */
function stringFields(name: ActionName): string[] {
  const shape = (ACTIONS[name].params as unknown as z.ZodObject).shape;
  return Object.entries(shape)
    .filter(([, schema]) => {
      let inner: z.ZodType = schema as z.ZodType;
      while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
      return inner instanceof z.ZodString;
    })
    .map(([field]) => field);
}

describe('action catalog', () => {
  it('holds the built-in actions of issue 12, each named by its key, with sane limits', () => {
    expect([...ACTION_NAMES].sort()).toEqual(Object.keys(VALID).sort());
    for (const name of ACTION_NAMES) {
      const action = ACTIONS[name];
      expect(action.name).toBe(name);
      expect(name).toMatch(/^[a-z]+\.[a-z-]+$/);
      expect(action.title.length).toBeGreaterThan(0);
      expect(action.description.length).toBeGreaterThan(20);
      expect(action.timeoutMs).toBeGreaterThanOrEqual(1_000);
      expect(action.timeoutMs).toBeLessThanOrEqual(15 * 60_000);
      expect(action.outputCapBytes).toBeGreaterThan(0);
      expect(action.outputCapBytes).toBeLessThanOrEqual(1024 * 1024);
      expect(action.platforms.length).toBeGreaterThan(0);
    }
    expect(ACTIONS['process.end']).toMatchObject({ risk: 'changes', consent: 'always' });
    for (const name of ['net.ping', 'net.dns-lookup', 'logs.collect', 'snapshot.refresh'] as const)
      expect(ACTIONS[name].risk).toBe('reads');
    for (const name of ['dns.flush-cache', 'disk.clear-temp', 'service.restart', 'package.install'] as const)
      expect(ACTIONS[name].risk).toBe('changes');
    expect(actionByName('net.ping')).toBe(ACTIONS['net.ping']);
    expect(actionByName('toString')).toBeUndefined();
    expect(actionByName('shell.exec')).toBeUndefined();
  });

  it('accepts valid parameters and applies the defaults', () => {
    for (const name of ACTION_NAMES) {
      const parsed = parseActionParams(name, VALID[name].params);
      expect(parsed, name).toMatchObject({ ok: true, value: { name } });
    }
    expect(parseActionParams('net.ping', { host: '127.0.0.1' })).toEqual({
      ok: true,
      value: { name: 'net.ping', params: { host: '127.0.0.1', count: 4 } },
    });
    expect(parseActionParams('net.http-check', { host: 'example.com' })).toMatchObject({
      ok: true,
      value: { params: { scheme: 'https', host: 'example.com', path: '/' } },
    });
    for (const host of [
      'localhost',
      'a.b-c.example.',
      '::1',
      'fe80::1:2',
      '::ffff:192.0.2.1',
      '1:2:3:4:5:6:7:8',
      'xn--bcher-kva.example',
    ])
      expect(parseActionParams('net.ping', { host }).ok, host).toBe(true);
  });

  it('the injection list below covers every free-string parameter of the catalog', () => {
    for (const name of ACTION_NAMES) expect(stringFields(name).sort(), name).toEqual([...VALID[name].strings].sort());
  });

  it('refuses injection in every string parameter, naming the field', () => {
    for (const name of ACTION_NAMES)
      for (const field of VALID[name].strings)
        for (const payload of INJECTIONS) {
          const parsed = parseActionParams(name, { ...VALID[name].params, [field]: payload });
          expect(parsed.ok, `${name}.${field} = ${JSON.stringify(payload)}`).toBe(false);
          if (!parsed.ok) {
            expect(parsed.error.code).toBe('bad-params');
            expect(parsed.error.message.startsWith(`${field}: `), parsed.error.message).toBe(true);
          }
        }
  });

  it('refuses injection in the package ids the server resolves from the allow-list', () => {
    for (const payload of INJECTIONS) {
      const parsed = parseActionParams('package.install', {
        package: 'firefox',
        install: [{ manager: 'apt', id: payload }],
      });
      expect(parsed.ok, JSON.stringify(payload)).toBe(false);
      if (!parsed.ok) expect(parsed.error.message).toMatch(/^install\.0\.id: /);
    }
    expect(parseActionParams('package.install', { package: 'x', install: [{ manager: 'pip', id: 'x' }] }).ok).toBe(
      false,
    );
    for (const id of ['Mozilla.Firefox', 'node@20', 'g++', 'libreoffice-writer'])
      expect(parseActionParams('package.install', { package: 'x', install: [{ manager: 'brew', id }] }).ok, id).toBe(
        true,
      );
  });

  it('refuses malformed hosts and paths that are not injection but still wrong', () => {
    for (const host of [
      'host-',
      '-host',
      'a..b',
      '256.1.1.1',
      '1.2.3',
      '1::2::3',
      'fe80::1%eth0',
      'a'.repeat(64) + '.com',
      'é.example',
    ])
      expect(parseActionParams('net.ping', { host }), host).toMatchObject({ ok: false, error: { code: 'bad-params' } });
    for (const path of ['/a/..', '/..?x', '/%2e%2e/', 'relative', '/a b', '/a;b'])
      expect(parseActionParams('net.http-check', { host: 'example.com', path }), path).toMatchObject({
        ok: false,
        error: { message: expect.stringMatching(/^path: /) },
      });
    expect(parseActionParams('net.http-check', { host: 'example.com', path: '/a..b/c' }).ok).toBe(true);
  });

  it('bounds ports, counts and time windows', () => {
    const refused = (name: ActionName, params: Record<string, unknown>, field: string) =>
      expect(parseActionParams(name, params), JSON.stringify(params)).toMatchObject({
        ok: false,
        error: { code: 'bad-params', message: expect.stringMatching(new RegExp(`^${field}: `)) },
      });
    for (const port of [0, 65_536, 80.5, '80', -1]) refused('net.tcp-check', { host: 'example.com', port }, 'port');
    expect(parseActionParams('net.tcp-check', { host: 'example.com', port: 65_535 }).ok).toBe(true);
    refused('net.ping', { host: 'example.com', count: 21 }, 'count');
    refused('net.ping', { host: 'example.com', count: 0 }, 'count');
    refused('net.traceroute', { host: 'example.com', maxHops: 65 }, 'maxHops');
    refused('process.top', { count: 51 }, 'count');
    refused('net.speed-test', { megabytes: 101 }, 'megabytes');
    refused('logs.collect', { sinceMinutes: 7 * 24 * 60 + 1 }, 'sinceMinutes');
    refused('logs.collect', { sinceMinutes: 0 }, 'sinceMinutes');
    refused('logs.collect', { sinceMinutes: 60, untilMinutes: 60 }, 'untilMinutes');
    refused('process.end', { pid: 0, name: 'x' }, 'pid');
    refused('process.end', { pid: 12 }, 'name');
    refused('snapshot.refresh', { sections: ['os', 'os'] }, 'sections');
    refused('snapshot.refresh', { sections: ['os; reboot'] }, 'sections.0');
    refused('disk.clear-temp', { olderThanDays: 0 }, 'olderThanDays');
  });

  it('refuses unknown parameters by name, and unknown actions', () => {
    expect(parseActionParams('net.ping', { host: 'example.com', args: '-f' })).toEqual({
      ok: false,
      error: { code: 'bad-params', message: 'args: is not a parameter of this action' },
    });
    expect(parseActionParams('dns.flush-cache', { command: 'ipconfig /all' })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^command: /) },
    });
    expect(parseActionParams('net.ping', null)).toMatchObject({ ok: false, error: { code: 'bad-params' } });
    expect(parseActionParams('shell.exec', { command: 'id' })).toMatchObject({
      ok: false,
      error: { code: 'unknown-action', message: 'Unknown action "shell.exec"' },
    });
    expect(parseActionParams('__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown-action' } });
  });
});
