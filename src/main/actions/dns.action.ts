import { lookup, Resolver } from 'node:dns/promises';
import type { ActionParams } from '../../shared/actions/catalog';
import { runSteps, type Argv } from './exec-utils';
import { done, failed, type ActionContext, type ActionImpls, type ImplOutcome } from './types';
import { monotonicMs } from '../services/monotonic-clock';

type LookupParams = ActionParams<'net.dns-lookup'>;

/**
 * net.dns-lookup, the same on every OS (node:dns). A and AAAA through the system resolver use
 * getaddrinfo, as applications do (so the hosts file counts); other types, or any type when
 * `ports.dnsServers` names servers, ask DNS servers directly.
 */
async function dnsLookup(p: LookupParams, ctx: ActionContext): Promise<ImplOutcome> {
  const started = monotonicMs();
  const servers = ctx.ports.dnsServers;
  try {
    if (!servers?.length && (p.type === 'A' || p.type === 'AAAA')) {
      const found = await lookup(p.name, { all: true, family: p.type === 'A' ? 4 : 6 });
      const records = found.map((a) => a.address);
      ctx.write(`${p.name} ${p.type}: ${records.join(', ')}\n`);
      return done({ name: p.name, type: p.type, resolver: 'system', records, ms: elapsed(started) });
    }
    const resolver = new Resolver({ timeout: 5000, tries: 2 });
    if (servers?.length) resolver.setServers([...servers]);
    const abort = () => resolver.cancel();
    ctx.signal.addEventListener('abort', abort, { once: true });
    try {
      const records: unknown = await resolver.resolve(p.name, p.type);
      ctx.write(`${p.name} ${p.type}: ${JSON.stringify(records)}\n`);
      return done({
        name: p.name,
        type: p.type,
        resolver: servers?.length ? 'servers' : 'system',
        records,
        ms: elapsed(started),
      });
    } finally {
      ctx.signal.removeEventListener('abort', abort);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'failed';
    // ENOTFOUND / ENODATA are answers ("no such name", "no such record"), reported as a failed lookup.
    return failed(
      code === 'ENOTFOUND' || code === 'ENODATA' ? 'not-found' : 'dns-error',
      `${p.name} ${p.type}: ${code}`,
      {
        name: p.name,
        type: p.type,
        records: [],
        ms: elapsed(started),
      },
    );
  }
}

function elapsed(started: number): number {
  return Math.round((monotonicMs() - started) * 10) / 10;
}

/** net.dns-lookup on each OS. */
export const dnsLookupAction: ActionImpls<'net.dns-lookup'> = { linux: dnsLookup, darwin: dnsLookup, win32: dnsLookup };

/**
 * The programs that empty the DNS cache per OS: `ipconfig /flushdns` (Microsoft Learn, ipconfig),
 * `dscacheutil -flushcache` then HUP to mDNSResponder (Apple's documented sequence), and
 * `resolvectl flush-caches` (resolvectl(1), systemd-resolved).
 */
export const FLUSH_DNS_ARGV: Record<'linux' | 'win32' | 'darwin', readonly Argv[]> = {
  win32: [['ipconfig', ['/flushdns']]],
  darwin: [
    ['dscacheutil', ['-flushcache']],
    ['killall', ['-HUP', 'mDNSResponder']],
  ],
  linux: [['resolvectl', ['flush-caches']]],
};

/** dns.flush-cache on each OS. */
export const flushDnsAction: ActionImpls<'dns.flush-cache'> = {
  win32: (_p, ctx) => runSteps(ctx, FLUSH_DNS_ARGV.win32),
  darwin: (_p, ctx) => runSteps(ctx, FLUSH_DNS_ARGV.darwin),
  linux: async (_p, ctx) => {
    const outcome = await runSteps(ctx, FLUSH_DNS_ARGV.linux);
    // Without systemd-resolved there is no system-wide cache to flush (nscd/dnsmasq setups differ).
    return !outcome.ok && outcome.error.code === 'not_found'
      ? failed(
          'unsupported',
          'This computer does not use systemd-resolved (resolvectl is missing); there is no DNS cache to flush',
        )
      : outcome;
  },
};
