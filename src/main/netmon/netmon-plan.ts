import { isIpv4, isIpv6 } from '../../shared/actions/params';
import { NETMON_IT_TARGET_PREFIX, NETMON_SERVER_HEALTH_PATH } from '../../shared/netmon/netmon-limits';
import type { NetmonConfig, NetSample, TargetId } from '../../shared/netmon/netmon';
import type { ProcessRunner } from '../actions/process-runner';
import { dnsProbe } from './dns.probe';
import { httpProbe, type HttpTarget } from './http.probe';
import { icmpProbe, type NetmonPlatform } from './icmp.probe';
import type { NetmonEnvironment } from './netmon-environment';
import type { Measured } from './netmon-stats';
import { tcpProbe } from './tcp.probe';

/*
 * One cycle's work from IT's probe plan: a job per target (per resolver for `dns`), each answering one
 * sample's measurements. ICMP goes through the OS's ping; where ping is not allowed the gateway is timed
 * by TCP connects instead (a refused port still answers in one round trip).
 */

export type JobResult = Measured & { method: NetSample['method']; http?: NetSample['http']; error?: string };

export interface ProbeJob {
  target: TargetId;
  address: string | null;
  run(signal: AbortSignal): Promise<JobResult>;
}

export interface PlanContext {
  platform: NetmonPlatform;
  runner: ProcessRunner;
  environment: NetmonEnvironment;
  serverUrl: string | null;
  userAgent?: string;
  /** Remembers whether the OS's ping works (false: use TCP until it is checked again). */
  ping: { allowed(): boolean; refused(): void };
}

/** Resolvers probed per cycle, at most. */
export const RESOLVERS_MAX = 4;

const nothing = (method: NetSample['method'], error: string): JobResult => ({
  method,
  sent: 0,
  received: 0,
  rttMs: null,
  minMs: null,
  maxMs: null,
  jitterMs: null,
  error,
});

/** The server's health check: its URL's scheme, host and port, and the health path under its base path. */
export function serverHealthTarget(serverUrl: string): HttpTarget | null {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const base = url.pathname.replace(/\/+$/, '');
  return {
    scheme: url.protocol === 'https:' ? 'https' : 'http',
    host,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: `${base}${NETMON_SERVER_HEALTH_PATH}`,
  };
}

/** Builds this cycle's jobs (asks the environment for the gateway and the resolvers). */
export async function planJobs(config: NetmonConfig, ctx: PlanContext): Promise<ProbeJob[]> {
  const { probes, timeoutMs } = config;
  const jobs: ProbeJob[] = [];

  /** ICMP where ping works; otherwise TCP to `fallbackPort` when there is one. */
  const icmpOrTcp =
    (host: string, fallbackPort: number | null) =>
    async (signal: AbortSignal): Promise<JobResult> => {
      if (ctx.ping.allowed()) {
        const r = await icmpProbe(ctx.runner, ctx.platform, host, probes, timeoutMs, signal);
        if (r.error !== 'ping-not-allowed') return { method: 'icmp', ...r };
        ctx.ping.refused();
      }
      if (fallbackPort === null) return nothing('icmp', 'ping-not-allowed');
      return {
        method: 'tcp',
        ...(await tcpProbe(host, fallbackPort, probes, timeoutMs, signal, { refusedAnswers: true })),
      };
    };

  if (config.gateway) {
    const { gateway } = await ctx.environment.defaultRoute();
    jobs.push({
      target: 'gateway',
      address: gateway,
      run: gateway ? icmpOrTcp(gateway, config.gatewayTcpPort) : async () => nothing('icmp', 'no-gateway'),
    });
  }

  const server = ctx.serverUrl ? serverHealthTarget(ctx.serverUrl) : null;
  if (config.dns) {
    // The server's own name by default: the lookup every agent needs to work. An IP literal resolves nothing.
    const name = config.dnsName ?? (server && !isIpv4(server.host) && !isIpv6(server.host) ? server.host : null);
    const resolvers = (await ctx.environment.resolvers()).slice(0, RESOLVERS_MAX);
    if (name && resolvers.length === 0)
      jobs.push({ target: 'dns', address: null, run: async () => nothing('dns', 'no-resolver') });
    for (const resolver of name ? resolvers : [])
      jobs.push({
        target: 'dns',
        address: resolver,
        run: async (signal) => ({
          method: 'dns',
          ...(await dnsProbe(resolver, name ?? '', probes, timeoutMs, signal)),
        }),
      });
  }

  if (config.server && server)
    jobs.push({
      target: 'server',
      address: server.host,
      run: async (signal) => ({ method: 'http', ...(await httpProbe(server, timeoutMs, signal, ctx.userAgent)) }),
    });

  for (const t of config.targets) {
    const target = `${NETMON_IT_TARGET_PREFIX}${t.slug}`;
    switch (t.method) {
      case 'icmp':
        jobs.push({ target, address: t.host, run: icmpOrTcp(t.host, null) });
        break;
      case 'tcp':
        jobs.push({
          target,
          address: t.host,
          run: async (signal) => ({ method: 'tcp', ...(await tcpProbe(t.host, t.port, probes, timeoutMs, signal)) }),
        });
        break;
      case 'http':
        jobs.push({
          target,
          address: t.host,
          run: async (signal) => ({ method: 'http', ...(await httpProbe(t, timeoutMs, signal, ctx.userAgent)) }),
        });
        break;
      case 'dns': {
        const resolvers = (await ctx.environment.resolvers()).slice(0, RESOLVERS_MAX);
        for (const resolver of resolvers)
          jobs.push({
            target,
            address: resolver,
            run: async (signal) => ({
              method: 'dns',
              ...(await dnsProbe(resolver, t.host, probes, timeoutMs, signal)),
            }),
          });
        break;
      }
    }
  }
  return jobs;
}

/** Runs jobs with at most `limit` at a time; results in the jobs' order. */
export async function runBounded<T>(items: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      const item = items[i];
      if (item) results[i] = await item();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
