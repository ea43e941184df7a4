import { evaluateHealth } from '../../shared/health/rules';
import type { Finding } from '../../shared/health/finding';
import type { AgentState, CheckResult } from '../../shared/ipc/contract';
import type { Snapshot } from '../../shared/snapshot';
import type { AgentArticle, HealthStatus } from './api-client';

/*
 * "Check my computer": a fresh snapshot, the shared health rules, and for each finding the synced
 * articles that fix it (the article names the finding's code, or shares one of its tags).
 */

/** The overall status of a set of findings. */
export function healthStatusOf(findings: readonly Finding[]): HealthStatus {
  if (findings.some((f) => f.severity === 'critical')) return 'critical';
  if (findings.some((f) => f.severity === 'warning')) return 'warning';
  return 'healthy';
}

/** The ids of the articles that fix a finding. */
export function articlesFor(finding: Finding, articles: readonly AgentArticle[]): number[] {
  const tags = new Set(finding.articleTags.map((t) => t.toLowerCase()));
  return articles
    .filter((a) => a.findingCodes.includes(finding.code) || a.tags.some((t) => tags.has(t.toLowerCase())))
    .map((a) => a.id);
}

/** Findings, matching articles and the probes that did not work, from one snapshot. */
export function checkSnapshot(snapshot: Snapshot, articles: readonly AgentArticle[], checkedAt: string): CheckResult {
  const findings = evaluateHealth(snapshot);
  const probeProblems = Object.entries(snapshot.probes).flatMap(([section, report]) =>
    report && (report.status === 'error' || report.status === 'timeout')
      ? [
          {
            section: section as CheckResult['probeProblems'][number]['section'],
            status: report.status,
            message: report.error?.message ?? null,
          },
        ]
      : [],
  );
  return {
    checkedAt,
    status: healthStatusOf(findings),
    findings: findings.map((f) => ({ ...f, articleIds: articlesFor(f, articles) })),
    probeProblems,
  };
}

/** The part of a check the tray state and the heartbeat carry. */
export function healthSummary(result: CheckResult): NonNullable<AgentState['health']> {
  return {
    status: result.status,
    checkedAt: result.checkedAt,
    findings: result.findings.map(({ articleIds: _ids, ...finding }) => finding),
  };
}
