import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { meshCentralBase } from '../shared/remote/remote-tool-links';

const MiB = 1024 * 1024;

/** Staff roles as a comma-separated list (`technician,admin`; `none` for nobody), for IT's remote-control policy. */
const roleList = z
  .string()
  .trim()
  .regex(
    /^(none|((technician|admin)(\s*,\s*(technician|admin))*))$/,
    'roles, comma-separated (technician, admin) or none',
  )
  .transform(
    (value) =>
      (value === 'none' ? [] : [...new Set(value.split(',').map((r) => r.trim()))]) as Array<'technician' | 'admin'>,
  );

/** ICE server URLs as a comma-separated list (`stun:host:3478`, `turn:host:3478?transport=udp`, `turns:…`). */
const iceUrls = (schemes: string) =>
  z
    .string()
    .trim()
    .transform((value) =>
      value
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .regex(
              new RegExp(`^(${schemes}):[^\\s,]{1,300}$`),
              `${schemes.replaceAll('|', ', ')} URLs, comma-separated`,
            ),
        )
        .max(10),
    );

/** Validated server configuration; every field has a safe default. */
export const serverConfigSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(8080),
    dataDir: z.string().min(1).default('.deskside-data'),
    /** postgres://… runs on PostgreSQL; absent means SQLite in the data folder. */
    databaseUrl: z
      .string()
      .regex(/^(postgres(ql)?|sqlite):/, 'must start with postgres://, postgresql:// or sqlite:')
      .optional(),
    /** Largest accepted request body, after gzip decoding. */
    bodyLimitBytes: z.coerce
      .number()
      .int()
      .min(1024)
      .max(512 * MiB)
      .default(24 * MiB),
    /** Largest accepted snapshot (canonical JSON). */
    snapshotLimitBytes: z.coerce
      .number()
      .int()
      .min(1024)
      .max(64 * MiB)
      .default(2 * MiB),
    tlsCert: z.string().optional(),
    tlsKey: z.string().optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    sessionIdleMinutes: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(30),
    sessionAbsoluteHours: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(12),
    requestTimeoutMs: z.coerce.number().int().min(1000).max(600_000).default(30_000),
    /**
     * The reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or CIDR ranges, or
     * `loopback`): the client's address then comes from it (login rate limits, audit). None by default.
     */
    trustProxy: z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z.:/,\s]+$/, 'addresses or CIDR ranges, comma-separated (or loopback)')
      .optional(),
    adminEmail: z.email().optional(),
    adminPassword: z.string().min(12, 'must be at least 12 characters').optional(),
    /**
     * Seed a demo help desk at start (`--demo`, what `npm start` uses; never in production). A flag
     * only, deliberately without an environment variable, so a forgotten variable cannot turn it on.
     */
    demo: z.boolean().default(false),
    /** IT's policy for remote sessions: the roles that may view a device's screen, and those that may control it. */
    remoteViewRoles: roleList.default(['technician', 'admin']),
    remoteControlRoles: roleList.default(['technician', 'admin']),
    /**
     * Screen share (WebRTC): the STUN and TURN servers both peers are given, coturn's REST-API shared secret
     * (`static-auth-secret`) from which each session gets its own TURN credentials, how long those stay valid,
     * and whether peers may only use relayed candidates (`relay`: the two ends never learn each other's address).
     */
    stunUrls: iceUrls('stun|stuns').default([]),
    turnUrls: iceUrls('turn|turns').default([]),
    turnSecret: z.string().min(16, 'must be at least 16 characters').optional(),
    turnTtlSeconds: z.coerce
      .number()
      .int()
      .min(60)
      .max(24 * 3600)
      .default(4 * 3600 + 300),
    iceTransportPolicy: z.enum(['all', 'relay']).default('all'),
    /**
     * Remote-access tools IT already runs (issue 13): whether tickets and device pages offer "Connect with
     * RustDesk" / "Open in MeshCentral" where the snapshot reports those tools, and the MeshCentral server's
     * web address (https) the device links go to. The link's host is always this one, never the device's.
     */
    remoteToolLinks: z.enum(['on', 'off']).default('on'),
    meshCentralUrl: z
      .string()
      .trim()
      .refine((value) => meshCentralBase(value) !== null, 'an https:// address without user, query or fragment')
      .optional(),
    /**
     * The console's address as people reach it (https://help.example.com), for links in webhook messages;
     * without it the links use the address the server listens on.
     */
    publicUrl: z
      .string()
      .trim()
      .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'an http:// or https:// address without query or fragment')
      .transform((value) => value.replace(/\/+$/, ''))
      .optional(),
  })
  // Checks across fields (zod runs these only once every field is valid on its own).
  .superRefine((c, ctx) => {
    if (Boolean(c.tlsCert) !== Boolean(c.tlsKey))
      ctx.addIssue({ code: 'custom', path: ['tlsCert'], message: 'TLS needs both a certificate and a key' });
    for (const key of ['tlsCert', 'tlsKey'] as const) {
      const file = c[key];
      if (file && !existsSync(file)) ctx.addIssue({ code: 'custom', path: [key], message: `file not found: ${file}` });
    }
    if (c.turnUrls.length > 0 && !c.turnSecret)
      ctx.addIssue({
        code: 'custom',
        path: ['turnSecret'],
        message: 'TURN servers need the shared secret (coturn static-auth-secret)',
      });
    if (c.iceTransportPolicy === 'relay' && c.turnUrls.length === 0)
      ctx.addIssue({ code: 'custom', path: ['iceTransportPolicy'], message: 'relay needs at least one TURN server' });
  });

export type ServerConfig = z.infer<typeof serverConfigSchema>;
export type ServerConfigInput = z.input<typeof serverConfigSchema>;

/** Environment variable behind each setting (every one but `demo`), for error messages and documentation. */
export const CONFIG_ENV: Record<Exclude<keyof ServerConfig, 'demo'>, string> = {
  host: 'DESKSIDE_HOST',
  port: 'DESKSIDE_PORT',
  dataDir: 'DESKSIDE_DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  bodyLimitBytes: 'DESKSIDE_BODY_LIMIT',
  snapshotLimitBytes: 'DESKSIDE_SNAPSHOT_LIMIT',
  tlsCert: 'DESKSIDE_TLS_CERT',
  tlsKey: 'DESKSIDE_TLS_KEY',
  logLevel: 'DESKSIDE_LOG_LEVEL',
  sessionIdleMinutes: 'DESKSIDE_SESSION_IDLE_MINUTES',
  sessionAbsoluteHours: 'DESKSIDE_SESSION_ABSOLUTE_HOURS',
  requestTimeoutMs: 'DESKSIDE_REQUEST_TIMEOUT_MS',
  trustProxy: 'DESKSIDE_TRUST_PROXY',
  adminEmail: 'DESKSIDE_ADMIN_EMAIL',
  adminPassword: 'DESKSIDE_ADMIN_PASSWORD',
  remoteViewRoles: 'DESKSIDE_REMOTE_VIEW_ROLES',
  remoteControlRoles: 'DESKSIDE_REMOTE_CONTROL_ROLES',
  stunUrls: 'DESKSIDE_STUN_URLS',
  turnUrls: 'DESKSIDE_TURN_URLS',
  turnSecret: 'DESKSIDE_TURN_SECRET',
  turnTtlSeconds: 'DESKSIDE_TURN_TTL_SECONDS',
  iceTransportPolicy: 'DESKSIDE_ICE_TRANSPORT_POLICY',
  remoteToolLinks: 'DESKSIDE_REMOTE_TOOL_LINKS',
  meshCentralUrl: 'DESKSIDE_MESHCENTRAL_URL',
  publicUrl: 'DESKSIDE_PUBLIC_URL',
};

/** Merges environment and flags (flags win) and validates; the error lists every bad setting. */
export function loadServerConfig(
  flags: Partial<Record<keyof typeof CONFIG_ENV, string | number | undefined>> & { demo?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): { ok: true; value: ServerConfig } | { ok: false; message: string } {
  const input: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(CONFIG_ENV)) {
    const value = flags[key as keyof typeof CONFIG_ENV] ?? env[name];
    if (value !== undefined && value !== '') input[key] = value;
  }
  if (flags.demo) input.demo = true;
  const parsed = serverConfigSchema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const lines = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const name = CONFIG_ENV[key as keyof typeof CONFIG_ENV];
    return `  ${key}${name ? ` (${name})` : ''}: ${issue.message}`;
  });
  return { ok: false, message: `invalid server configuration:\n${lines.join('\n')}` };
}

/** The database URL to use: the configured one, else SQLite in the data folder. */
export function databaseUrlOf(config: ServerConfig): string {
  return config.databaseUrl ?? join(resolve(config.dataDir), 'deskside.db');
}
