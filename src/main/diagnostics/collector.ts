import { SECTION_NAMES, SNAPSHOT_SCHEMA_VERSION } from '../../shared/snapshot/section-names';
import { isCanonicalSection } from '../../shared/snapshot/section-checks';
import type { ProbeReport, SectionName, Sections, Snapshot } from '../../shared/snapshot';
import type { Platform, Probe, ProbeContext, ProbeSettings } from './probe';
import { createShared, UnsupportedError } from './probe';
import { applyPrivacy, mapStrings, shortenHomePaths, type PrivacyOptions } from './privacy';
import { monotonicMs } from '../services/monotonic-clock';

/** Defaults used when the caller configures nothing. */
export const DEFAULT_PROBE_SETTINGS: ProbeSettings = {
  serverUrl: null,
  checkUrls: [],
  dnsHosts: [],
  connectivityTimeoutMs: 1500,
  // psutil's usual interval: shorter reads too few clock ticks (100 a second) per process to mean much.
  cpuSampleMs: 100,
  procBaseline: null,
  gatewayTarget: null,
};

export interface CollectOptions {
  /** Only these sections; all when absent. */
  sections?: readonly SectionName[];
  /** Sections the employee left out: not collected at all, reported as omitted. */
  omit?: readonly SectionName[];
  /** Hash serials and MACs, drop user names. */
  redact?: boolean;
  settings?: Partial<ProbeSettings>;
}

export interface CollectorDeps {
  probes: readonly Probe[];
  /** Builds the per-probe context; the collector supplies the abort signal and the collection's shared memo. */
  context: (signal: AbortSignal, settings: ProbeSettings, shared: ProbeContext['shared']) => ProbeContext;
  platform: Platform;
  agent: { name: string; version: string };
  privacy: Omit<PrivacyOptions, 'redact'>;
  now?: () => Date;
}

/** Collects snapshots: every probe concurrently, each inside its own time budget. */
export interface Collector {
  collect(options?: CollectOptions): Promise<Snapshot>;
}

type Outcome = { report: ProbeReport; value?: unknown };

/** Builds a collector from probes and ports; does no work until `collect` is called. */
export function createCollector(deps: CollectorDeps): Collector {
  const now = deps.now ?? (() => new Date());
  const bySection = new Map(deps.probes.map((p) => [p.section, p] as const));

  return {
    async collect(options = {}) {
      const started = monotonicMs();
      const collectedAt = now();
      const settings = { ...DEFAULT_PROBE_SETTINGS, ...options.settings };
      const wanted = options.sections ?? SECTION_NAMES;
      const omit = new Set(options.omit ?? []);
      const shared = createShared();

      const outcomes = await Promise.all(
        wanted.map(async (section): Promise<[SectionName, Outcome]> => {
          if (omit.has(section)) return [section, { report: report('omitted', 0) }];
          const probe = bySection.get(section);
          if (!probe) return [section, { report: report('unsupported', 0, 'no_probe', 'No probe for this section') }];
          if (probe.platforms && !probe.platforms.includes(deps.platform)) {
            return [section, { report: report('unsupported', 0, 'unsupported', `Not available on ${deps.platform}`) }];
          }
          return [section, await runProbe(probe, (signal) => deps.context(signal, settings, shared))];
        }),
      );

      const probes: Snapshot['probes'] = {};
      const sections: Partial<Sections> = {};
      for (const [section, outcome] of outcomes) {
        probes[section] = outcome.report;
        if (outcome.value !== undefined) (sections as Record<string, unknown>)[section] = outcome.value;
      }

      return {
        schemaVersion: SNAPSHOT_SCHEMA_VERSION,
        collectedAt: collectedAt.toISOString(),
        durationMs: round(monotonicMs() - started),
        agent: deps.agent,
        redacted: options.redact === true,
        // Error messages can quote paths too.
        probes: mapStrings(probes, (text) => shortenHomePaths(text, deps.privacy.homeDirs)),
        sections: applyPrivacy(sections, { ...deps.privacy, redact: options.redact === true }),
      };
    },
  };
}

async function runProbe(probe: Probe, makeContext: (signal: AbortSignal) => ProbeContext): Promise<Outcome> {
  const controller = new AbortController();
  const started = monotonicMs();
  const elapsed = () => round(monotonicMs() - started);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), probe.budgetMs);
  });
  try {
    // The probe keeps running in the background after a timeout only for calls that cannot
    // be cancelled (systeminformation); commands receive the signal and are killed.
    const result = await Promise.race([probe.collect(makeContext(controller.signal)), timeout]);
    if (result === 'timeout') {
      controller.abort();
      return { report: report('timeout', elapsed(), 'timeout', `No answer within ${probe.budgetMs} ms`) };
    }
    // A section already valid and canonical is kept as it is (zod would return an equal copy); only
    // one that is not loads zod, which decides, normalizes and words the error.
    if (isCanonicalSection(probe.section, result)) return { report: report('ok', elapsed()), value: result };
    const { sectionSchemas } = await import('../../shared/snapshot/snapshot');
    const parsed = sectionSchemas[probe.section].safeParse(result);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || '(root)';
      return { report: report('error', elapsed(), 'invalid_output', `${where}: ${issue?.message ?? 'invalid'}`) };
    }
    return { report: report('ok', elapsed()), value: parsed.data };
  } catch (error) {
    if (error instanceof UnsupportedError) {
      return { report: report('unsupported', elapsed(), 'unsupported', error.message) };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { report: report('error', elapsed(), 'probe_failed', message.slice(0, 500)) };
  } finally {
    clearTimeout(timer);
  }
}

function report(status: ProbeReport['status'], durationMs: number, code?: string, message?: string): ProbeReport {
  return { status, durationMs, error: code ? { code, message: message ?? code } : null };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
