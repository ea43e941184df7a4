import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ScriptParamInfo } from '../../shared/actions/script-info';
import { scriptActionName } from '../../shared/actions/script-info';
import type {
  ItCatalogDto,
  ItPackageDto,
  ItScriptDto,
  ItServiceDto,
  putItPackageSchema,
  putItScriptSchema,
  putItServiceSchema,
} from '../../shared/api/it-actions';
import type { z } from 'zod';
import { audit } from '../audit/audit.service';
import { safeEqual } from '../auth/crypto';
import { CSRF_HEADER, findStaffSession, type StaffUser } from '../auth/guards';
import type { ServerContext } from '../context';
import { parseJsonObject } from '../db/json-columns';
import { forbidden, notFound } from '../errors';
import {
  deleteAllowListEntry,
  deleteScript,
  selectAllowList,
  selectAllowListEntry,
  selectScript,
  selectScripts,
  upsertAllowListEntry,
  upsertScript,
  type AllowListKind,
  type AllowListRow,
  type ScriptRow,
} from './it-actions.repo';

/*
 * IT's part of the action catalog: the service and package allow-lists and the IT scripts. Technicians
 * read them (the Run on device form); admins change them, each change audited (`it.service.saved`, …,
 * scripts with the SHA-256 of each body). A technician's attempt is refused 403 and audited (`it.denied`)
 * by `auditAdminDenial`, which runs before the admin guard.
 */

type ServiceBody = z.output<typeof putItServiceSchema>;
type PackageBody = z.output<typeof putItPackageSchema>;
type ScriptBody = z.output<typeof putItScriptSchema>;

const iso = (ms: number) => new Date(ms).toISOString();
const str = (value: unknown) => (typeof value === 'string' ? value : null);

/** The SHA-256 (hex) of a script body, as audited and shown next to the body. */
export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function toServiceDto(row: AllowListRow): ItServiceDto {
  const t = parseJsonObject(row.targets);
  return {
    id: row.id,
    title: row.title,
    linux: str(t.linux),
    win32: str(t.win32),
    darwin: str(t.darwin),
    updatedAt: iso(row.updated_at),
  };
}

export function toPackageDto(row: AllowListRow): ItPackageDto {
  const t = parseJsonObject(row.targets);
  return {
    id: row.id,
    title: row.title,
    apt: str(t.apt),
    dnf: str(t.dnf),
    winget: str(t.winget),
    brew: str(t.brew),
    brewCask: t.brewCask === true,
    updatedAt: iso(row.updated_at),
  };
}

export function toScriptDto(row: ScriptRow): ItScriptDto {
  const parameters = JSON.parse(row.parameters) as ScriptParamInfo[];
  return {
    slug: row.slug,
    action: scriptActionName(row.slug),
    title: row.title,
    description: row.description,
    risk: row.risk,
    timeoutSeconds: row.timeout_seconds,
    parameters,
    bodies: JSON.parse(row.bodies) as ItScriptDto['bodies'],
    updatedAt: iso(row.updated_at),
  };
}

/** Everything IT added to the catalog. */
export async function getItCatalog(ctx: ServerContext): Promise<ItCatalogDto> {
  const [services, packages, scripts] = await Promise.all([
    selectAllowList(ctx.db.kysely, 'service'),
    selectAllowList(ctx.db.kysely, 'package'),
    selectScripts(ctx.db.kysely),
  ]);
  return {
    services: services.map(toServiceDto),
    packages: packages.map(toPackageDto),
    scripts: scripts.map(toScriptDto),
  };
}

interface Actor {
  staff: StaffUser;
  ip: string | null;
}

const entryAudit = (actor: Actor, action: string, targetType: string, targetId: string, details = {}) => ({
  actorType: 'staff' as const,
  actorId: actor.staff.id,
  action,
  targetType,
  targetId,
  details,
  ip: actor.ip,
});

async function saveEntry(
  ctx: ServerContext,
  actor: Actor,
  kind: AllowListKind,
  id: string,
  title: string,
  targets: Record<string, unknown>,
): Promise<{ row: AllowListRow; created: boolean }> {
  const now = ctx.now();
  const existed = await selectAllowListEntry(ctx.db.kysely, kind, id);
  const row = await upsertAllowListEntry(ctx.db.kysely, {
    kind,
    id,
    title,
    targets: JSON.stringify(targets),
    created_at: now,
    updated_at: now,
    updated_by: actor.staff.id,
  });
  await audit(ctx, entryAudit(actor, `it.${kind}.saved`, `it_${kind}`, id, { title, targets, created: !existed }));
  return { row, created: !existed };
}

/** Adds or changes a service on the allow-list: the entry as saved, and whether it is new. */
export async function saveService(ctx: ServerContext, actor: Actor, id: string, body: ServiceBody) {
  const { title, ...targets } = body;
  const { row, created } = await saveEntry(ctx, actor, 'service', id, title, targets);
  return { value: toServiceDto(row), created };
}

/** Adds or changes a package on the allow-list. */
export async function savePackage(ctx: ServerContext, actor: Actor, id: string, body: PackageBody) {
  const { title, ...targets } = body;
  const { row, created } = await saveEntry(ctx, actor, 'package', id, title, targets);
  return { value: toPackageDto(row), created };
}

/** Removes an allow-list entry (404 when there is none). Commands already signed keep the name they carry. */
export async function removeEntry(ctx: ServerContext, actor: Actor, kind: AllowListKind, id: string): Promise<void> {
  if (!(await deleteAllowListEntry(ctx.db.kysely, kind, id)))
    throw notFound(kind === 'service' ? 'Allow-listed service' : 'Allow-listed package', `it_${kind}_not_found`);
  await audit(ctx, entryAudit(actor, `it.${kind}.deleted`, `it_${kind}`, id));
}

/** Adds or changes an IT script; the audit keeps each body's SHA-256. */
export async function saveScript(ctx: ServerContext, actor: Actor, slug: string, body: ScriptBody) {
  const now = ctx.now();
  const existed = await selectScript(ctx.db.kysely, slug);
  const row = await upsertScript(ctx.db.kysely, {
    slug,
    title: body.title,
    description: body.description,
    risk: body.risk,
    timeout_seconds: body.timeoutSeconds,
    parameters: JSON.stringify(body.parameters),
    bodies: JSON.stringify(body.bodies),
    created_at: now,
    updated_at: now,
    updated_by: actor.staff.id,
  });
  const hashes = Object.fromEntries(Object.entries(body.bodies).map(([os, b]) => [os, b && sha256(b.body)]));
  await audit(
    ctx,
    entryAudit(actor, 'it.script.saved', 'it_script', slug, {
      title: body.title,
      risk: body.risk,
      parameters: body.parameters.map((p) => p.name),
      sha256: hashes,
      created: !existed,
    }),
  );
  return { value: toScriptDto(row), created: !existed };
}

export async function removeScript(ctx: ServerContext, actor: Actor, slug: string): Promise<void> {
  if (!(await deleteScript(ctx.db.kysely, slug))) throw notFound('IT script', 'it_script_not_found');
  await audit(ctx, entryAudit(actor, 'it.script.deleted', 'it_script', slug));
}

/**
 * Runs before the admin guard of IT's authoring endpoints: a signed-in technician is refused here, with
 * an audit row saying who tried what. Anyone else passes on to the guard (which answers 401 or lets an
 * admin through).
 */
export function auditAdminDenial(ctx: ServerContext) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const session = await findStaffSession(ctx, request, reply);
    if (!session || session.role === 'admin') return;
    // A write without its CSRF token is the guard's to refuse (csrf_failed), not an attempt to audit.
    const token = request.headers[CSRF_HEADER];
    if (request.method !== 'GET' && (typeof token !== 'string' || !safeEqual(token, session.csrfToken))) return;
    await audit(ctx, {
      actorType: 'staff',
      actorId: session.user.id,
      action: 'it.denied',
      targetType: 'endpoint',
      targetId: request.routeOptions.config.endpoint ?? request.url,
      details: { method: request.method, url: request.url.split('?')[0], role: session.role },
      ip: request.ip,
    });
    throw forbidden('Only IT administrators can change the allow-lists and scripts', 'admin_only');
  };
}
