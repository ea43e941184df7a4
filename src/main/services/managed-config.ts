import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SECTION_NAMES } from '../../shared/snapshot/section-names';
import type { ManagedConfig } from './agent-platform';

/*
 * IT's configuration for the agent: a system-wide JSON file deployed with the installer, and
 * command-line flags (which win). A bad file never stops the agent: each bad key is named in
 * `errors`, the valid keys still apply.
 */

/**
 * Each key of the managed file, validated on its own so one bad key does not void the others. Built for
 * each load and dropped after it: the agent reads the file once at start, and keeping some hundred
 * schemas for the rest of its life would cost the idle daemon their memory.
 */
function buildFieldSchemas() {
  const sectionName = z.enum(SECTION_NAMES);
  const httpUrl = z
    .string()
    .max(2048)
    .refine((value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'http:' || url.protocol === 'https:';
      } catch {
        return false;
      }
    }, 'must be an http:// or https:// URL');
  return {
    serverUrl: httpUrl,
    enrollSecret: z.string().min(16, 'must be at least 16 characters').max(200),
    groups: z.array(z.string().trim().min(1).max(64)).max(32),
    branding: z
      .object({
        name: z.string().trim().min(1).max(80).optional(),
        supportEmail: z.string().max(254).nullable().optional(),
        supportPhone: z.string().max(64).nullable().optional(),
        supportUrl: httpUrl.nullable().optional(),
        iconPath: z.string().max(4096).optional(),
      })
      .strict(),
    links: z
      .array(
        z
          .object({
            label: z.string().trim().min(1).max(80),
            url: z
              .string()
              .max(2048)
              .regex(/^(https:|mailto:)/, 'must start with https: or mailto:'),
          })
          .strict(),
      )
      .max(20),
    privacy: z
      .object({
        redact: z.boolean().optional(),
        excludedSections: z.array(sectionName).optional(),
        allowScreenshots: z.boolean().optional(),
      })
      .strict(),
    startAtLogin: z.boolean(),
    inventoryIntervalHours: z
      .number()
      .min(0)
      .max(24 * 30),
    /**
     * Remote commands per risk level: run read-only ones unattended, ask the employee, or refuse. Fixes are
     * never unattended. A headless agent has no one to ask: `ask` refuses there. Default: ask for both.
     */
    commandPolicy: z
      .object({
        reads: z.enum(['unattended', 'ask', 'refuse']).optional(),
        changes: z.enum(['ask', 'refuse']).optional(),
      })
      .strict(),
    /**
     * Remote control (issue 13). `consent`: ask the employee (default; a headless agent has no one to ask and
     * refuses), refuse, or `unattended` — explicit, for kiosks and test machines only. `vnc`: x11vnc started per
     * session (Linux; `display` else DISPLAY), or a VNC server IT already runs on a loopback address (TightVNC /
     * UltraVNC on Windows, macOS Screen Sharing) with its password. Without `vnc`, Linux uses x11vnc and the
     * other systems refuse.
     */
    remoteControl: z
      .object({
        consent: z.enum(['ask', 'refuse', 'unattended']).optional(),
        controlNeedsSecondConsent: z.boolean().optional(),
        vnc: z
          .discriminatedUnion('server', [
            z
              .object({
                server: z.literal('x11vnc'),
                display: z
                  .string()
                  .regex(/^[A-Za-z0-9.:_-]{1,64}$/, 'an X display such as :0')
                  .optional(),
                x11vncPath: z.string().min(1).max(4096).regex(/^\//, 'must be an absolute path').optional(),
              })
              .strict(),
            z
              .object({
                server: z.literal('existing'),
                host: z.enum(['127.0.0.1', '::1', 'localhost']),
                port: z.number().int().min(1).max(65535),
                password: z.string().min(1).max(64).optional(),
              })
              .strict(),
          ])
          .optional(),
      })
      .strict(),
  } as const;
}

type FieldName = keyof ReturnType<typeof buildFieldSchemas>;

/** Where IT's config file lives on each OS; DESKSIDE_AGENT_CONFIG overrides it (tests, portable installs). */
export function managedConfigPath(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (env.DESKSIDE_AGENT_CONFIG) return env.DESKSIDE_AGENT_CONFIG;
  if (platform === 'win32') return `${env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData'}\\Deskside\\config.json`;
  if (platform === 'darwin') return '/Library/Application Support/Deskside/config.json';
  return '/etc/deskside/config.json';
}

/** Validates a parsed config document; valid keys are kept, each bad one is reported by name. */
export function parseManagedConfig(
  raw: unknown,
  source: string,
): { config: Omit<ManagedConfig, 'sources'>; errors: string[] } {
  const errors: string[] = [];
  const config: Record<string, unknown> = {};
  const fieldSchemas = buildFieldSchemas();
  const names = Object.keys(fieldSchemas) as FieldName[];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { config, errors: [`${source}: must be a JSON object`] };
  for (const [key, value] of Object.entries(raw)) {
    if (!names.includes(key as FieldName)) {
      errors.push(`${source}: unknown key "${key}" (known: ${names.join(', ')})`);
      continue;
    }
    const parsed = fieldSchemas[key as FieldName].safeParse(value);
    if (parsed.success) config[key] = parsed.data;
    else {
      const issue = parsed.error.issues[0];
      const path = [key, ...(issue?.path ?? []).map(String)].join('.');
      errors.push(`${source}: ${path}: ${issue?.message ?? 'invalid'}`);
    }
  }
  return { config: config as Omit<ManagedConfig, 'sources'>, errors };
}

function readConfigFile(
  path: string,
  required: boolean,
): { config: Omit<ManagedConfig, 'sources'>; errors: string[]; found: boolean } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return { config: {}, errors: [], found: false };
    return { config: {}, errors: [`${path}: cannot read (${code ?? 'error'})`], found: false };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { config: {}, errors: [`${path}: not valid JSON (${(error as Error).message})`], found: true };
  }
  return { ...parseManagedConfig(raw, path), found: true };
}

interface Flags {
  serverUrl?: string;
  enrollSecret?: string;
  config?: string;
  groups: string[];
  errors: string[];
}

/** Reads --server-url, --enroll-secret, --config and --group (repeatable); `--x=v` and `--x v` both work. */
export function parseAgentFlags(argv: readonly string[]): Flags {
  const flags: Flags = { groups: [], errors: [] };
  const names: Record<string, 'serverUrl' | 'enrollSecret' | 'config' | 'group'> = {
    '--server-url': 'serverUrl',
    '--enroll-secret': 'enrollSecret',
    '--config': 'config',
    '--group': 'group',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const field = names[name];
    if (!field) continue;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') {
      flags.errors.push(`${name}: needs a value`);
      continue;
    }
    if (field === 'group') flags.groups.push(value);
    else flags[field] = value;
  }
  return flags;
}

/** The managed configuration: --config file (or the OS path) overlaid with flags; never throws. */
export function loadManagedConfig(options: {
  platform: NodeJS.Platform;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
}): {
  config: ManagedConfig;
  path: string;
  errors: string[];
} {
  const flags = parseAgentFlags(options.argv);
  const path = flags.config ?? managedConfigPath(options.platform, options.env);
  const file = readConfigFile(path, flags.config !== undefined);
  const errors = [...file.errors];
  const sources: string[] = file.found ? [path] : [];

  const fromFlags: Record<string, unknown> = {};
  const flagFields: Array<[FieldName, unknown, string]> = [
    ['serverUrl', flags.serverUrl, '--server-url'],
    ['enrollSecret', flags.enrollSecret, '--enroll-secret'],
    ['groups', flags.groups.length > 0 ? flags.groups : undefined, '--group'],
  ];
  const fieldSchemas = buildFieldSchemas();
  for (const [key, value, flag] of flagFields) {
    if (value === undefined) continue;
    const parsed = fieldSchemas[key].safeParse(value);
    if (parsed.success) fromFlags[key] = parsed.data;
    else errors.push(`${flag}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  errors.push(...flags.errors);
  if (Object.keys(fromFlags).length > 0) sources.push('command line');
  return { config: { ...file.config, ...fromFlags, sources }, path, errors };
}
