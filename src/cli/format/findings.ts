import type { Finding } from '../../shared/health/finding';
import { table, type Style } from './style';

/** The table `deskside check` prints. */
export function formatFindings(findings: readonly Finding[], host: string, style: Style): string {
  if (findings.length === 0) return `${style.green('✔')} ${style.bold(host)} looks healthy: no findings.`;
  const counts = (['critical', 'warning', 'info'] as const)
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const paint = (f: Finding) =>
    f.severity === 'critical'
      ? style.red(f.severity)
      : f.severity === 'warning'
        ? style.yellow(f.severity)
        : style.dim(f.severity);
  const rows = [
    ['SEVERITY', 'CODE', 'FINDING', 'EVIDENCE'].map(style.bold),
    ...findings.map((f) => [paint(f), f.code, f.title, f.evidence]),
  ];
  return `${style.bold(host)}: ${findings.length} finding${findings.length === 1 ? '' : 's'} (${counts.join(', ')})\n\n${table(rows)}`;
}
