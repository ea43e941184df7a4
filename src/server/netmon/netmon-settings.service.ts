import { netmonConfigSchema, DEFAULT_NETMON_CONFIG, type NetmonConfig } from '../../shared/netmon/netmon';
import { NETMON_RETENTION_DEFAULT } from '../../shared/netmon/netmon-limits';
import {
  netmonRetentionSchema,
  netmonSiteSchema,
  type NetmonRetention,
  type NetmonSettingsDto,
  type NetmonSite,
  type netmonSettingsSchema,
  type netmonSitesSchema,
} from '../../shared/api/netmon';
import type { z } from 'zod';
import { audit } from '../audit/audit.service';
import type { StaffUser } from '../auth/guards';
import type { ServerContext } from '../context';
import { selectDeviceLinkSites, selectSetting, updateDeviceSite, upsertSetting } from './netmon.repo';
import { siteKeyOf } from './sites';

/*
 * IT's network-monitoring settings: the probe plan (sent to every agent as `netmon.config`), retention,
 * and the named sites. Stored as JSON by key; read through a short per-process cache that a `netmon config`
 * bus event (any process's change) or a resync clears, so every process's hub pushes the same plan.
 */

type Ctx = Pick<ServerContext, 'db' | 'now' | 'bus'>;
const CACHE_MS = 30_000;

interface Cached {
  at: number;
  plan: NetmonConfig;
  retention: NetmonRetention;
  sites: NetmonSite[];
  updatedAt: number | null;
}
const caches = new WeakMap<object, Promise<Cached>>();
const cachedAt = new WeakMap<object, number>();

function parseOr<T>(schema: z.ZodType<T>, text: string | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

async function load(ctx: Ctx): Promise<Cached> {
  const [plan, retention, sites] = await Promise.all([
    selectSetting(ctx.db.kysely, 'plan'),
    selectSetting(ctx.db.kysely, 'retention'),
    selectSetting(ctx.db.kysely, 'sites'),
  ]);
  return {
    at: Date.now(),
    plan: parseOr(netmonConfigSchema, plan?.value, DEFAULT_NETMON_CONFIG),
    retention: parseOr(netmonRetentionSchema, retention?.value, { ...NETMON_RETENTION_DEFAULT }),
    sites: parseOr(netmonSiteSchema.array(), sites?.value, []),
    updatedAt: Math.max(plan?.updated_at ?? 0, retention?.updated_at ?? 0) || null,
  };
}

/** The current settings (cached per process for CACHE_MS, cleared by `forgetNetmonSettings`). */
export function netmonSettings(ctx: Ctx): Promise<Cached> {
  const key = ctx.db;
  const at = cachedAt.get(key);
  let entry = caches.get(key);
  if (!entry || at === undefined || Date.now() - at > CACHE_MS) {
    entry = load(ctx);
    caches.set(key, entry);
    cachedAt.set(key, Date.now());
    entry.catch(() => caches.delete(key));
  }
  return entry;
}

/** Drops this process's cached settings (another process changed them, or the bus resynced). */
export function forgetNetmonSettings(ctx: Pick<ServerContext, 'db'>): void {
  caches.delete(ctx.db);
}

export async function getNetmonSettings(ctx: Ctx): Promise<NetmonSettingsDto> {
  const s = await netmonSettings(ctx);
  return {
    plan: s.plan,
    retention: s.retention,
    updatedAt: s.updatedAt === null ? null : new Date(s.updatedAt).toISOString(),
  };
}

interface Actor {
  staff: StaffUser;
  ip: string | null;
}

/** Saves the plan and retention, audited; every connected agent gets the plan (bus → hubs). */
export async function saveNetmonSettings(
  ctx: Ctx,
  actor: Actor,
  body: z.output<typeof netmonSettingsSchema>,
): Promise<NetmonSettingsDto> {
  const now = ctx.now();
  await upsertSetting(ctx.db.kysely, 'plan', JSON.stringify(body.plan), now, actor.staff.id);
  await upsertSetting(ctx.db.kysely, 'retention', JSON.stringify(body.retention), now, actor.staff.id);
  await audit(ctx, {
    actorType: 'staff',
    actorId: actor.staff.id,
    action: 'netmon.settings.saved',
    targetType: 'netmon',
    targetId: 'settings',
    details: { plan: body.plan, retention: body.retention },
    ip: actor.ip,
  });
  forgetNetmonSettings(ctx);
  ctx.bus.publish({ kind: 'netmon', what: 'config' });
  return getNetmonSettings(ctx);
}

export async function getNetmonSites(ctx: Ctx): Promise<{ sites: NetmonSite[] }> {
  return { sites: (await netmonSettings(ctx)).sites };
}

/** Replaces IT's sites, audited, and places every device again by its latest link. */
export async function saveNetmonSites(
  ctx: Ctx,
  actor: Actor,
  body: z.output<typeof netmonSitesSchema>,
): Promise<{ sites: NetmonSite[] }> {
  const now = ctx.now();
  await upsertSetting(ctx.db.kysely, 'sites', JSON.stringify(body.sites), now, actor.staff.id);
  await audit(ctx, {
    actorType: 'staff',
    actorId: actor.staff.id,
    action: 'netmon.sites.saved',
    targetType: 'netmon',
    targetId: 'sites',
    details: { sites: body.sites.map((s) => s.slug) },
    ip: actor.ip,
  });
  forgetNetmonSettings(ctx);
  for (const row of await selectDeviceLinkSites(ctx.db.kysely)) {
    const site = siteKeyOf(row, body.sites);
    if (site !== row.site) await updateDeviceSite(ctx.db.kysely, row.device_id, site);
  }
  ctx.bus.publish({ kind: 'netmon', what: 'config' });
  return { sites: body.sites };
}
