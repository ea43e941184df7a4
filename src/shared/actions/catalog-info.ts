import { SECTION_NAMES } from '../snapshot/section-names';
import type { ActionConsent, ActionPlatform, ActionRisk } from './catalog';

/*
 * The action catalog as plain data, with no zod, for the console's bundle: what a technician picks from
 * and the form each action's parameters need. catalog.ts holds the schemas the server and the agent
 * validate with; catalog-info.test.ts fails when the two disagree (names, parameter keys, bounds,
 * options, defaults, risk, consent, platforms), so the form never offers what the server refuses.
 */

/** The longest window of logs one collection reads: a week. */
export const LOG_WINDOW_MAX_MINUTES = 7 * 24 * 60;

/** How a parameter is entered and checked in the console (the server checks again). */
export type ActionFieldKind = 'host' | 'port' | 'number' | 'text' | 'select' | 'boolean' | 'allow-list';

export interface ActionField {
  /** The parameter's key in the request's `params`. */
  name: string;
  label: string;
  kind: ActionFieldKind;
  /** For `select`: the values allowed. */
  options?: readonly string[];
  /** For `allow-list`: which of IT's lists the value is an entry id of (the form offers its entries). */
  allowList?: 'services' | 'packages';
  /** For `select`: several values may be picked (the parameter is a list). */
  multiple?: boolean;
  /** For `number` and `port`: the bounds (whole numbers). */
  min?: number;
  max?: number;
  /** The request must give it (no default on the server). */
  required: boolean;
  /** What the server uses when the request leaves it out. */
  default?: string | number | boolean;
  /** A hint shown under the field. */
  hint?: string;
}

export interface ActionInfo {
  name: string;
  title: string;
  description: string;
  risk: ActionRisk;
  consent: ActionConsent;
  platforms: readonly ActionPlatform[];
  /** Diagnostics read; fixes change something. */
  group: 'diagnostics' | 'fixes';
  fields: readonly ActionField[];
}

const ALL: readonly ActionPlatform[] = ['linux', 'win32', 'darwin'];

const host = (name = 'host', label = 'Host'): ActionField => ({
  name,
  label,
  kind: 'host',
  required: true,
  hint: 'A host name or an IP address',
});
const count = (name: string, label: string, min: number, max: number, dflt: number): ActionField => ({
  name,
  label,
  kind: 'number',
  min,
  max,
  required: false,
  default: dflt,
});

const diagnostic = (info: Omit<ActionInfo, 'group' | 'risk' | 'consent' | 'platforms'>): ActionInfo => ({
  ...info,
  group: 'diagnostics',
  risk: 'reads',
  consent: 'policy',
  platforms: ALL,
});
const fix = (info: Omit<ActionInfo, 'group' | 'risk' | 'platforms' | 'consent'> & { consent?: ActionConsent }) =>
  ({ consent: 'policy', ...info, group: 'fixes', risk: 'changes', platforms: ALL }) satisfies ActionInfo;

/** Every built-in action, diagnostics first, in the catalog's order. */
export const ACTION_INFO: readonly ActionInfo[] = [
  diagnostic({
    name: 'snapshot.refresh',
    title: 'Refresh the snapshot',
    description: 'Collects a new system snapshot (all sections, or only the ones named) and sends it to the help desk.',
    fields: [
      {
        name: 'sections',
        label: 'Sections',
        kind: 'select',
        multiple: true,
        options: SECTION_NAMES,
        required: false,
        hint: 'None picked: every section',
      },
    ],
  }),
  diagnostic({
    name: 'net.ping',
    title: 'Ping',
    description: 'Sends ICMP echo requests to a host and reports loss and round-trip times.',
    fields: [host(), count('count', 'Requests', 1, 20, 4)],
  }),
  diagnostic({
    name: 'net.traceroute',
    title: 'Traceroute',
    description: 'Lists the routers on the way to a host, with the time each one takes to answer.',
    fields: [host(), count('maxHops', 'Most hops', 1, 64, 30)],
  }),
  diagnostic({
    name: 'net.dns-lookup',
    title: 'DNS lookup',
    description: "Asks the computer's DNS servers for a name's records.",
    fields: [
      host('name', 'Name'),
      {
        name: 'type',
        label: 'Record type',
        kind: 'select',
        options: ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV', 'PTR'],
        required: false,
        default: 'A',
      },
    ],
  }),
  diagnostic({
    name: 'net.tcp-check',
    title: 'TCP port check',
    description: 'Opens a TCP connection to a host and port, reports whether it connects and how long it takes.',
    fields: [host(), { name: 'port', label: 'Port', kind: 'port', min: 1, max: 65_535, required: true }],
  }),
  diagnostic({
    name: 'net.http-check',
    title: 'HTTP(S) check',
    description:
      'Requests a web address and reports the status and the time spent on DNS, connect, TLS and first byte.',
    fields: [
      {
        name: 'scheme',
        label: 'Scheme',
        kind: 'select',
        options: ['https', 'http'],
        required: false,
        default: 'https',
      },
      host(),
      { name: 'port', label: 'Port', kind: 'port', min: 1, max: 65_535, required: false, hint: 'Empty: the scheme’s' },
      { name: 'path', label: 'Path', kind: 'text', required: false, default: '/', hint: 'Starts with "/"' },
    ],
  }),
  diagnostic({
    name: 'net.speed-test',
    title: 'Speed test to the help desk',
    description: 'Downloads and uploads a test payload to the help-desk server and reports the throughput.',
    fields: [count('megabytes', 'Megabytes', 1, 100, 10)],
  }),
  diagnostic({
    name: 'process.top',
    title: 'Top processes',
    description: 'Lists the processes using the most CPU or memory right now.',
    fields: [
      count('count', 'Processes', 1, 50, 15),
      { name: 'sortBy', label: 'Sort by', kind: 'select', options: ['cpu', 'memory'], required: false, default: 'cpu' },
    ],
  }),
  diagnostic({
    name: 'logs.collect',
    title: 'Collect logs',
    description:
      "Reads the system log (journal, Event Log or unified log) for a time window, size-capped and passed through the snapshot's redaction.",
    fields: [
      {
        name: 'sinceMinutes',
        label: 'From (minutes ago)',
        kind: 'number',
        min: 1,
        max: LOG_WINDOW_MAX_MINUTES,
        required: true,
      },
      {
        ...count('untilMinutes', 'To (minutes ago)', 0, LOG_WINDOW_MAX_MINUTES, 0),
        hint: '0: now; fewer minutes ago than "From"',
      },
      {
        name: 'level',
        label: 'Lowest level',
        kind: 'select',
        options: ['error', 'warning', 'info'],
        required: false,
        default: 'warning',
      },
    ],
  }),
  fix({
    name: 'dns.flush-cache',
    title: 'Flush the DNS cache',
    description: "Empties the computer's DNS cache, so names are looked up afresh.",
    fields: [],
  }),
  fix({
    name: 'net.renew-dhcp',
    title: 'Renew the DHCP lease',
    description:
      'Releases and renews the network addresses of the connected adapters (the network drops for a moment).',
    fields: [],
  }),
  fix({
    name: 'printing.restart-spooler',
    title: 'Restart the print spooler',
    description: 'Restarts the print service and, unless told not to, deletes the print jobs stuck in its queue.',
    fields: [{ name: 'clearJobs', label: 'Clear stuck print jobs', kind: 'boolean', required: false, default: true }],
  }),
  fix({
    name: 'disk.clear-temp',
    title: 'Clear temporary files',
    description:
      "Deletes temporary files older than the given age from the user's and the system's temp folders, and reports the bytes freed.",
    fields: [count('olderThanDays', 'Older than (days)', 1, 365, 7)],
  }),
  fix({
    name: 'service.restart',
    title: 'Restart a service',
    description: "Restarts one of the services on IT's allow-list.",
    fields: [{ name: 'service', label: 'Service', kind: 'allow-list', allowList: 'services', required: true }],
  }),
  fix({
    name: 'process.end',
    title: 'End a process',
    description:
      'Ends one process, given its id and name (a process that has since exited and whose id was reused is left alone).',
    consent: 'always',
    fields: [
      { name: 'pid', label: 'Process id', kind: 'number', min: 1, max: 4_294_967_295, required: true },
      { name: 'name', label: 'Process name', kind: 'text', required: true, hint: 'As the process list shows it' },
    ],
  }),
  fix({
    name: 'package.install',
    title: 'Install or update a package',
    description:
      "Installs or updates one of the packages on IT's allow-list through the OS's own package manager (winget, Homebrew, apt or dnf).",
    fields: [{ name: 'package', label: 'Package', kind: 'allow-list', allowList: 'packages', required: true }],
  }),
];

/** An action's info by name, or undefined for a name the catalog does not know. */
export function actionInfo(name: string): ActionInfo | undefined {
  return ACTION_INFO.find((action) => action.name === name);
}
