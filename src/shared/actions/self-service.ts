import type { FindingCode } from '../finding-codes';
import { formatBytes, formatCount } from '../format';
import { ACTION_INFO, actionInfo, type ActionInfo } from './catalog-info';

/*
 * "Fix it" (issue 12): the catalog actions an employee may run on their own computer, from a health
 * finding or a self-help article, after a confirm in the tray window. Declared once, zod-free (the window
 * and the console read it): which actions, with which fixed parameters, and which finding each one fixes.
 * Nothing here takes input from the employee: the parameters are IT's, written here, and the agent's
 * handler runs only an action this table binds to the finding or article it is asked from.
 *
 * An article carries a button as a Markdown link whose target names the action:
 *
 *     [Restart the print spooler](deskside-fix:printing.restart-spooler)
 *
 * The shared Markdown renderer drops the target everywhere but the tray window (the console's preview
 * and the server's search text show the link's words), and the server refuses to save an article whose
 * link names an action that is unknown or not one of these (checkFixItLinks).
 *
 * Only fixes that need no technician's judgement are here: no allow-list ids (services, packages), no
 * process to end (its consent is `always`), no diagnostics that need a target host.
 */

/** The URL scheme of a Fix-it link in an article's Markdown. */
export const FIX_IT_SCHEME = 'deskside-fix:';

/** One self-service action: its fixed parameters (as the catalog validates them). */
export interface SelfServiceFix {
  action: string;
  params: Readonly<Record<string, unknown>>;
}

/** The actions an employee may run from a Fix-it button, by catalog name, with IT's fixed parameters. */
export const SELF_SERVICE_FIXES = {
  'disk.clear-temp': { action: 'disk.clear-temp', params: { olderThanDays: 7 } },
  'dns.flush-cache': { action: 'dns.flush-cache', params: {} },
  'net.renew-dhcp': { action: 'net.renew-dhcp', params: {} },
  'printing.restart-spooler': { action: 'printing.restart-spooler', params: { clearJobs: true } },
} as const satisfies Record<string, SelfServiceFix>;

export type SelfServiceActionName = keyof typeof SELF_SERVICE_FIXES;

/** Every self-service action name. */
export const SELF_SERVICE_ACTION_NAMES = Object.keys(SELF_SERVICE_FIXES) as SelfServiceActionName[];

/** Is this the name of an action employees may run themselves? */
export function isSelfServiceAction(name: string): name is SelfServiceActionName {
  return Object.hasOwn(SELF_SERVICE_FIXES, name);
}

/** The health findings that carry a Fix-it button, and the action each one runs. */
export const FINDING_FIXES: Readonly<Partial<Record<FindingCode, SelfServiceActionName>>> = {
  // Temp files are the part of a full disk nobody needs; old ones only (7 days), the folders stay.
  'disk.almost_full': 'disk.clear-temp',
  // A stale or poisoned cache entry is the cause the employee can clear; the resolvers are IT's.
  'network.dns_failing': 'dns.flush-cache',
  // No default gateway is often a lease that lapsed or never completed: ask the DHCP server again.
  'network.no_gateway': 'net.renew-dhcp',
};

/** The action a finding's Fix-it button runs, or null when the finding has none. */
export function fixForFinding(code: string): SelfServiceActionName | null {
  return Object.hasOwn(FINDING_FIXES, code)
    ? ((FINDING_FIXES as Record<string, SelfServiceActionName | undefined>)[code] ?? null)
    : null;
}

/** Where a Fix-it button was pressed: a finding of the health check, or a self-help article. */
export type FixItSource = { kind: 'finding'; code: FindingCode } | { kind: 'article'; articleId: number };

/**
 * The action a link target names when it is a Fix-it link (`deskside-fix:NAME`, scheme in any case,
 * surrounding spaces ignored), or null for any other target. The name is not checked here.
 */
export function fixItTarget(href: string): string | null {
  const trimmed = href.trim();
  if (trimmed.slice(0, FIX_IT_SCHEME.length).toLowerCase() !== FIX_IT_SCHEME) return null;
  return trimmed.slice(FIX_IT_SCHEME.length);
}

// The scheme anywhere in the text, the way a link, a reference definition or an autolink would carry it.
const FIX_IT_MENTION = /deskside-fix:([^\s)\]>"'<]*)/gi;

/** Every action a Markdown text's Fix-it links name, in order, each once (whether they exist or not). */
export function fixItLinks(markdown: string): string[] {
  const names = new Set<string>();
  for (const match of markdown.matchAll(FIX_IT_MENTION)) names.add(match[1] ?? '');
  return [...names];
}

/**
 * Why an article's Markdown cannot be saved, or null when every Fix-it link in it names a self-service
 * action. The message names the offending action.
 */
export function checkFixItLinks(markdown: string): string | null {
  for (const name of fixItLinks(markdown)) {
    const shown = JSON.stringify(name.slice(0, 64));
    if (name === '')
      return `a Fix-it link (${FIX_IT_SCHEME}) must name an action, e.g. ${FIX_IT_SCHEME}dns.flush-cache`;
    if (!actionInfo(name)) return `Fix-it link names an unknown action ${shown}`;
    if (!isSelfServiceAction(name))
      return `Fix-it link names ${shown}, which employees may not run themselves (allowed: ${SELF_SERVICE_ACTION_NAMES.join(', ')})`;
  }
  return null;
}

/** What the confirm shows: the catalog's own title and description, and the fixed parameters by their labels. */
export interface FixItDescription {
  action: SelfServiceActionName;
  title: string;
  description: string;
  risk: ActionInfo['risk'];
  /** Each fixed parameter as the catalog labels it. */
  settings: { label: string; value: string }[];
}

/** The confirm's text for a self-service action, from the catalog. */
export function describeFix(action: SelfServiceActionName): FixItDescription {
  const info = ACTION_INFO.find((a) => a.name === action)!;
  const params = SELF_SERVICE_FIXES[action].params as Record<string, unknown>;
  return {
    action,
    title: info.title,
    description: info.description,
    risk: info.risk,
    settings: Object.entries(params).map(([key, value]) => ({
      label: info.fields.find((f) => f.name === key)?.label ?? key,
      value: typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value),
    })),
  };
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** One line saying what a finished Fix-it did, from the action's structured result fields. */
export function fixItSummary(action: string, ok: boolean, fields: Record<string, unknown>): string {
  if (!ok) return 'It did not work.';
  switch (action) {
    case 'disk.clear-temp': {
      const bytes = num(fields.bytesFreed) ?? 0;
      const files = num(fields.filesDeleted) ?? 0;
      const skipped = num(fields.skipped) ?? 0;
      const freed =
        files === 0
          ? 'No old temporary files to delete.'
          : `Freed ${formatBytes(bytes)} (${formatCount(files, 'file')}).`;
      return skipped > 0 ? `${freed} ${formatCount(skipped, 'file')} in use or not yours were left.` : freed;
    }
    case 'printing.restart-spooler': {
      const jobs = num(fields.jobsDeleted);
      return jobs === null
        ? 'The print service restarted.'
        : `The print service restarted; ${formatCount(jobs, 'stuck job')} deleted.`;
    }
    case 'dns.flush-cache':
      return 'The DNS cache is empty; names are looked up afresh.';
    case 'net.renew-dhcp':
      return 'The network addresses were renewed.';
    default:
      return 'Done.';
  }
}
