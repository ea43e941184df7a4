import { Resolver } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { ConnectivityCheck } from '../../../shared/snapshot';
import type { ProbeContext } from '../probe';
import { defineProbe } from '../probe';
import { abortAfter } from '../../services/abort';
import { parseArpState } from '../parsers/linux-net.parser';
import { defaultRoute } from './route';
import { monotonicMs } from '../../services/monotonic-clock';

/** Gateway, DNS, help-desk server and configured URLs, each with a short timeout, all at once. */
export const connectivityProbe = defineProbe({
  section: 'connectivity',
  budgetMs: 4000,
  async collect(ctx) {
    const urls = ctx.settings.checkUrls.slice(0, 16);
    const checks = await Promise.all([
      gatewayCheck(ctx),
      ...dnsTargets(ctx).map((host) => dnsCheck(ctx, host)),
      ctx.settings.serverUrl
        ? httpCheck(ctx, 'server', healthUrl(ctx.settings.serverUrl))
        : skipped('server', '(not configured)', 'No help-desk server configured'),
      ...urls.map((url) => httpCheck(ctx, 'url', url)),
    ]);
    return { checks };
  },
});

function skipped(kind: ConnectivityCheck['kind'], target: string, detail: string): ConnectivityCheck {
  return { kind, target, status: 'skipped', latencyMs: null, detail };
}

function healthUrl(serverUrl: string): string {
  return new URL('healthz', serverUrl.endsWith('/') ? serverUrl : `${serverUrl}/`).toString();
}

/** Host names worth resolving: configured ones, else those of the server and check URLs. */
export function dnsTargets(ctx: Pick<ProbeContext, 'settings'>): string[] {
  if (ctx.settings.dnsHosts.length > 0) return [...new Set(ctx.settings.dnsHosts)].slice(0, 3);
  const hosts = [ctx.settings.serverUrl, ...ctx.settings.checkUrls]
    .flatMap((url) => {
      try {
        return url ? [new URL(url).hostname.replace(/^\[|\]$/g, '')] : [];
      } catch {
        return [];
      }
    })
    .filter((host) => isIP(host) === 0 && host !== 'localhost' && !host.endsWith('.localhost'));
  return [...new Set(hosts)].slice(0, 3);
}

async function dnsCheck(ctx: ProbeContext, host: string): Promise<ConnectivityCheck> {
  const timeout = ctx.settings.connectivityTimeoutMs;
  const resolver = new Resolver({ timeout, tries: 1 });
  const started = monotonicMs();
  const abort = () => resolver.cancel();
  ctx.signal.addEventListener('abort', abort, { once: true });
  try {
    const answers = await Promise.any([resolver.resolve4(host), resolver.resolve6(host)]);
    return {
      kind: 'dns',
      target: host,
      status: 'ok',
      latencyMs: elapsed(started),
      detail: `${answers.length} address(es)`,
    };
  } catch (error) {
    const code =
      error instanceof AggregateError
        ? (error.errors[0] as NodeJS.ErrnoException)?.code
        : (error as NodeJS.ErrnoException).code;
    return {
      kind: 'dns',
      target: host,
      status: 'failed',
      latencyMs: null,
      detail: `Lookup failed (${code ?? 'error'})`,
    };
  } finally {
    ctx.signal.removeEventListener('abort', abort);
  }
}

async function httpCheck(ctx: ProbeContext, kind: 'server' | 'url', url: string): Promise<ConnectivityCheck> {
  const target = url.slice(0, 2048);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind, target, status: 'failed', latencyMs: null, detail: 'Not a valid URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { kind, target, status: 'failed', latencyMs: null, detail: 'Only http and https URLs can be checked' };
  }
  const started = monotonicMs();
  const bounded = abortAfter(ctx.signal, ctx.settings.connectivityTimeoutMs);
  const answer = await statusOf(parsed, bounded.signal).finally(bounded.clear);
  if ('status' in answer) {
    // Any answer below 500 proves the service is up and reachable, even a 401 or a redirect.
    const up = answer.status < 500;
    return { kind, target, status: up ? 'ok' : 'failed', latencyMs: elapsed(started), detail: `HTTP ${answer.status}` };
  }
  const detail =
    answer.error === null
      ? `No answer within ${ctx.settings.connectivityTimeoutMs} ms`
      : `Unreachable (${answer.error})`;
  return { kind, target, status: 'failed', latencyMs: null, detail };
}

/**
 * The status line of one GET (no redirect followed, body not read), or the socket's error code (null when
 * `signal` ended it). Node's http rather than fetch: fetch loads undici and compiles its WebAssembly parser,
 * which costs the snapshot time and cannot run at all in a daemon started with V8's --lite-mode
 * (src/main/services/service-units.ts).
 */
function statusOf(url: URL, signal: AbortSignal): Promise<{ status: number } | { error: string | null }> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', agent: false, signal, headers: { connection: 'close' } }, (res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.destroy();
    });
    req.once('error', (error: NodeJS.ErrnoException) =>
      resolve({ error: signal.aborted ? null : (error.code ?? error.name) }),
    );
    req.end();
  });
}

async function gatewayCheck(ctx: ProbeContext): Promise<ConnectivityCheck> {
  const gateway = ctx.settings.gatewayTarget ?? (await defaultRoute(ctx)).gateway;
  if (!gateway)
    return { kind: 'gateway', target: '(none)', status: 'failed', latencyMs: null, detail: 'No default gateway' };
  const started = monotonicMs();
  const seconds = String(Math.max(1, Math.round(ctx.settings.connectivityTimeoutMs / 1000)));
  const args =
    ctx.platform === 'win32'
      ? ['-n', '1', '-w', String(ctx.settings.connectivityTimeoutMs), gateway]
      : ctx.platform === 'darwin'
        ? ['-c', '1', '-t', seconds, gateway]
        : ['-c', '1', '-W', seconds, gateway];
  const ping = await ctx.run.run('ping', args, {
    signal: ctx.signal,
    timeoutMs: ctx.settings.connectivityTimeoutMs + 500,
  });
  if (ping.ok) {
    return ping.value.exitCode === 0
      ? { kind: 'gateway', target: gateway, status: 'ok', latencyMs: elapsed(started), detail: 'Answers ping' }
      : { kind: 'gateway', target: gateway, status: 'failed', latencyMs: null, detail: 'No answer to ping' };
  }
  // No ping binary (minimal images): the kernel's ARP table still tells if it answered recently.
  if (ctx.platform === 'linux') {
    const state = parseArpState((await ctx.files.readText('/proc/net/arp', 256 * 1024)) ?? '', gateway);
    if (state === 'ok')
      return { kind: 'gateway', target: gateway, status: 'ok', latencyMs: null, detail: 'Seen in the ARP table' };
    if (state === 'failed')
      return { kind: 'gateway', target: gateway, status: 'failed', latencyMs: null, detail: 'ARP table: no answer' };
  }
  return skipped('gateway', gateway, 'Cannot test: no ping command');
}

function elapsed(started: number): number {
  return Math.round((monotonicMs() - started) * 10) / 10;
}
