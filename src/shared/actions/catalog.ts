import { z } from 'zod';
import { err, ok, type Result } from '../result';
import { SECTION_NAMES } from '../snapshot/section-names';
import { LOG_WINDOW_MAX_MINUTES } from './catalog-info';
import {
  allowListRefParam,
  hostParam,
  minutesParam,
  packageTargetParam,
  portParam,
  processNameParam,
  serviceNameParam,
  urlPathParam,
} from './params';
import { isScriptActionName, SCRIPT_ACTION_PREFIX } from './script-info';
import { scriptActionDefinition, scriptCommandParamsSchema, type ScriptCommandParams } from './scripts';

/*
 * The action catalog: every action a technician (or an employee's "Fix it" button) may run on a device,
 * declared once. The server validates a request against it before signing a command, the agent again
 * before it asks for consent, and each OS's implementation (a `*.action.ts` in the agent) is looked up
 * by name. Nothing outside this table is runnable: there is no free-form command.
 *
 * - risk: `reads` (a diagnostic) or `changes` (a fix changes something on the device).
 * - consent: `always` asks the employee every time, even where IT's policy would run it unattended;
 *   `policy` follows IT's policy for the action's risk (run unattended, ask, or refuse).
 * - timeoutMs ends the run; outputCapBytes caps the raw output kept (the rest is dropped and said so).
 */

export type ActionRisk = 'reads' | 'changes';
export type ActionConsent = 'always' | 'policy';
export type ActionPlatform = 'linux' | 'win32' | 'darwin';

/** One catalog entry. */
export interface ActionDefinition<P extends z.ZodType = z.ZodType> {
  /** Stable id, `area.verb` (kept in commands, audit rows and results). */
  name: string;
  title: string;
  /** What it does, in words the consent prompt shows the employee. */
  description: string;
  params: P;
  risk: ActionRisk;
  consent: ActionConsent;
  timeoutMs: number;
  outputCapBytes: number;
  platforms: readonly ActionPlatform[];
}

const ALL: readonly ActionPlatform[] = ['linux', 'win32', 'darwin'];
const KB = 1024;
const MINUTE_MS = 60_000;
// Kept in the zod-free catalog-info (the console's form reads it too).
export { LOG_WINDOW_MAX_MINUTES };

const params = <S extends z.ZodRawShape>(shape: S) => z.strictObject(shape);

const define = <const N extends string, P extends z.ZodType>(entry: ActionDefinition<P> & { name: N }) => entry;

const diagnostics = {
  'snapshot.refresh': define({
    name: 'snapshot.refresh',
    title: 'Refresh the snapshot',
    description: 'Collects a new system snapshot (all sections, or only the ones named) and sends it to the help desk.',
    params: params({
      sections: z
        .array(z.enum(SECTION_NAMES))
        .min(1)
        .max(SECTION_NAMES.length)
        .refine((names) => new Set(names).size === names.length, 'must not name a section twice')
        .optional(),
    }),
    risk: 'reads',
    consent: 'policy',
    timeoutMs: 2 * MINUTE_MS,
    outputCapBytes: 64 * KB,
    platforms: ALL,
  }),
  'net.ping': define({
    name: 'net.ping',
    title: 'Ping',
    description: 'Sends ICMP echo requests to a host and reports loss and round-trip times.',
    params: params({ host: hostParam, count: z.number().int().min(1).max(20).default(4) }),
    risk: 'reads',
    consent: 'policy',
    timeoutMs: 45_000,
    outputCapBytes: 16 * KB,
    platforms: ALL,
  }),
  'net.traceroute': define({
    name: 'net.traceroute',
    title: 'Traceroute',
    description: 'Lists the routers on the way to a host, with the time each one takes to answer.',
    params: params({ host: hostParam, maxHops: z.number().int().min(1).max(64).default(30) }),
    risk: 'reads',
    consent: 'policy',
    timeoutMs: 2 * MINUTE_MS,
    outputCapBytes: 32 * KB,
    platforms: ALL,
  }),
  'net.dns-lookup': define({
    name: 'net.dns-lookup',
    title: 'DNS lookup',
    description: "Asks the computer's DNS servers for a name's records.",
    params: params({
      name: hostParam,
      type: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV', 'PTR']).default('A'),
    }),
    risk: 'reads',
    consent: 'policy',
    timeoutMs: 20_000,
    outputCapBytes: 16 * KB,
    platforms: ALL,
  }),
  'net.tcp-check': define({
    name: 'net.tcp-check',
    title: 'TCP port check',
    description: 'Opens a TCP connection to a host and port, reports whether it connects and how long it takes.',
    params: params({ host: hostParam, port: portParam }),
    risk: 'reads',
    consent: 'policy',
    timeoutMs: 20_000,
    outputCapBytes: 4 * KB,
    platforms: ALL,
  }),
  'net.http-check': define({
    name: 'net.http-check',
    title: 'HTTP(S) check',
    description:
      'Requests a web address and reports the status and the time spent on DNS, connect, TLS and first byte.',
    params: params({
      scheme: z.enum(['https', 'http']).default('https'),
      host: hostParam,
      port: portParam.optional(),
      path: urlPathParam.default('/'),
    }),
    risk: 'reads',
    consent: 'policy',
    timeoutMs: 30_000,
    outputCapBytes: 16 * KB,
    platforms: ALL,
  }),
  'net.speed-test': define({
    name: 'net.speed-test',
    title: 'Speed test to the help desk',
    description: 'Downloads and uploads a test payload to the help-desk server and reports the throughput.',
    params: params({ megabytes: z.number().int().min(1).max(100).default(10) }),
    risk: 'reads',
    consent: 'policy',
    timeoutMs: 2 * MINUTE_MS,
    outputCapBytes: 4 * KB,
    platforms: ALL,
  }),
  'process.top': define({
    name: 'process.top',
    title: 'Top processes',
    description: 'Lists the processes using the most CPU or memory right now.',
    params: params({
      count: z.number().int().min(1).max(50).default(15),
      sortBy: z.enum(['cpu', 'memory']).default('cpu'),
    }),
    risk: 'reads',
    consent: 'policy',
    timeoutMs: 20_000,
    outputCapBytes: 32 * KB,
    platforms: ALL,
  }),
  'logs.collect': define({
    name: 'logs.collect',
    title: 'Collect logs',
    description:
      "Reads the system log (journal, Event Log or unified log) for a time window, size-capped and passed through the snapshot's redaction.",
    params: params({
      /** The window's start, in minutes before now. */
      sinceMinutes: minutesParam(LOG_WINDOW_MAX_MINUTES).min(1),
      /** The window's end, in minutes before now (0: now). */
      untilMinutes: minutesParam(LOG_WINDOW_MAX_MINUTES).default(0),
      level: z.enum(['error', 'warning', 'info']).default('warning'),
    }).refine((p) => p.untilMinutes < p.sinceMinutes, {
      message: 'must be fewer minutes ago than sinceMinutes (the window ends after it starts)',
      path: ['untilMinutes'],
    }),
    risk: 'reads',
    consent: 'policy',
    timeoutMs: 2 * MINUTE_MS,
    outputCapBytes: 1024 * KB,
    platforms: ALL,
  }),
};

const fixes = {
  'dns.flush-cache': define({
    name: 'dns.flush-cache',
    title: 'Flush the DNS cache',
    description: "Empties the computer's DNS cache, so names are looked up afresh.",
    params: params({}),
    risk: 'changes',
    consent: 'policy',
    timeoutMs: 30_000,
    outputCapBytes: 4 * KB,
    platforms: ALL,
  }),
  'net.renew-dhcp': define({
    name: 'net.renew-dhcp',
    title: 'Renew the DHCP lease',
    description:
      'Releases and renews the network addresses of the connected adapters (the network drops for a moment).',
    params: params({}),
    risk: 'changes',
    consent: 'policy',
    timeoutMs: MINUTE_MS,
    outputCapBytes: 8 * KB,
    platforms: ALL,
  }),
  'printing.restart-spooler': define({
    name: 'printing.restart-spooler',
    title: 'Restart the print spooler',
    description: 'Restarts the print service and, unless told not to, deletes the print jobs stuck in its queue.',
    params: params({ clearJobs: z.boolean().default(true) }),
    risk: 'changes',
    consent: 'policy',
    timeoutMs: MINUTE_MS,
    outputCapBytes: 8 * KB,
    platforms: ALL,
  }),
  'disk.clear-temp': define({
    name: 'disk.clear-temp',
    title: 'Clear temporary files',
    description:
      "Deletes temporary files older than the given age from the user's and the system's temp folders, and reports the bytes freed.",
    params: params({ olderThanDays: z.number().int().min(1).max(365).default(7) }),
    risk: 'changes',
    consent: 'policy',
    timeoutMs: 5 * MINUTE_MS,
    outputCapBytes: 16 * KB,
    platforms: ALL,
  }),
  'service.restart': define({
    name: 'service.restart',
    title: 'Restart a service',
    description: "Restarts one of the services on IT's allow-list.",
    params: params({
      service: allowListRefParam,
      /** The service's name on the device's OS, resolved from the allow-list and signed by the server. */
      serviceName: serviceNameParam.optional(),
    }),
    risk: 'changes',
    consent: 'policy',
    timeoutMs: 2 * MINUTE_MS,
    outputCapBytes: 8 * KB,
    platforms: ALL,
  }),
  'process.end': define({
    name: 'process.end',
    title: 'End a process',
    description:
      'Ends one process, given its id and name (a process that has since exited and whose id was reused is left alone).',
    params: params({ pid: z.number().int().min(1).max(4_294_967_295), name: processNameParam }),
    risk: 'changes',
    // Ending a program can lose the employee's unsaved work: they are always asked.
    consent: 'always',
    timeoutMs: 20_000,
    outputCapBytes: 4 * KB,
    platforms: ALL,
  }),
  'package.install': define({
    name: 'package.install',
    title: 'Install or update a package',
    description:
      "Installs or updates one of the packages on IT's allow-list through the OS's own package manager (winget, Homebrew, apt or dnf).",
    params: params({
      package: allowListRefParam,
      /**
       * What to install, resolved from the allow-list for the device's OS and signed by the server: the
       * package manager and the package's id in it, in the order to try (apt, then dnf, on Linux).
       */
      install: z.array(packageTargetParam).min(1).max(2).optional(),
    }),
    risk: 'changes',
    consent: 'policy',
    timeoutMs: 15 * MINUTE_MS,
    outputCapBytes: 256 * KB,
    platforms: ALL,
  }),
};

/**
 * Parameters the server fills in from IT's allow-lists before it signs (a technician's request giving one
 * is refused): the agent runs the name that was signed, not one it looks up.
 */
export const SERVER_RESOLVED_PARAMS: Readonly<Record<string, readonly string[]>> = {
  'service.restart': ['serviceName'],
  'package.install': ['install'],
};

/** Every built-in action, by name. */
export const ACTIONS = { ...diagnostics, ...fixes } as const;

export type ActionName = keyof typeof ACTIONS;
/** An action's parameters as the implementation receives them (defaults applied). */
export type ActionParams<N extends ActionName> = z.output<(typeof ACTIONS)[N]['params']>;
/** An action's parameters as a request may give them (defaults optional). */
export type ActionParamsInput<N extends ActionName> = z.input<(typeof ACTIONS)[N]['params']>;

/** Every action name, diagnostics first. */
export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];

/** Is this string the name of a catalog action? */
export function isActionName(value: string): value is ActionName {
  return Object.hasOwn(ACTIONS, value);
}

/** The catalog entry of an action, or undefined for a name the catalog does not know. */
export function actionByName(name: string): ActionDefinition | undefined {
  return isActionName(name) ? ACTIONS[name] : undefined;
}

/** The action name of an IT script (`script.<slug>`). */
export type ScriptActionName = `script.${string}`;

/** A validated request to run an action: its name and its parameters with defaults applied. */
export type ParsedAction =
  | { [N in ActionName]: { name: N; params: ActionParams<N> } }[ActionName]
  | { name: ScriptActionName; params: ScriptCommandParams };

/**
 * The catalog entry a command runs under: the built-in action, or for `script.<slug>` the entry built
 * from the script the (signed) parameters carry; undefined for an unknown name or unreadable script.
 */
export function commandActionDefinition(name: string, params: unknown): ActionDefinition | undefined {
  if (!isScriptActionName(name)) return actionByName(name);
  const parsed = scriptCommandParamsSchema.safeParse(params);
  if (!parsed.success || `${SCRIPT_ACTION_PREFIX}${parsed.data.script.slug}` !== name) return undefined;
  return scriptActionDefinition(parsed.data.script);
}

/**
 * Validates an action's parameters against the catalog. Fails with `unknown-action`, or with
 * `bad-params` and a message that starts with the field (`host: must be …`).
 */
export function parseActionParams(name: string, params: unknown): Result<ParsedAction> {
  if (isScriptActionName(name)) return parseScriptParams(name as ScriptActionName, params);
  const action = actionByName(name);
  if (!action) return err('unknown-action', `Unknown action ${JSON.stringify(name.slice(0, 64))}`);
  const parsed = action.params.safeParse(params);
  if (!parsed.success) return err('bad-params', describeIssue(parsed.error.issues[0]));
  return ok({ name, params: parsed.data } as ParsedAction);
}

/** A script command's parameters: the signed script (whose slug must be the name's) and the values. */
function parseScriptParams(name: ScriptActionName, params: unknown): Result<ParsedAction> {
  const parsed = scriptCommandParamsSchema.safeParse(params);
  if (!parsed.success) return err('bad-params', describeIssue(parsed.error.issues[0]));
  if (`${SCRIPT_ACTION_PREFIX}${parsed.data.script.slug}` !== name)
    return err('bad-params', `script.slug: must be the slug of the action ${JSON.stringify(name)}`);
  return ok({ name, params: parsed.data });
}

/** One zod issue as `field: what is wrong`, naming the offending key for unknown keys. */
function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'params: are invalid';
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length ? `${issue.path.join('.')}.` : '';
    return `${where}${issue.keys.join(', ')}: is not a parameter of this action`;
  }
  return `${issue.path.join('.') || 'params'}: ${issue.message}`;
}
