import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import { serverCheckSchema, type ServerCheck, type ServerCheckDto } from '../../shared/api/netmon';
import type { NetmonHealth } from '../../shared/netmon/netmon-health';
import { audit } from '../audit/audit.service';
import type { StaffUser } from '../auth/guards';
import type { ServerContext } from '../context';
import type { NetmonChecksTable } from '../db/schema';
import { notFound } from '../errors';
import { jobLock } from '../jobs/job-lock';
import {
  deleteCheck,
  insertSamples,
  selectCheck,
  selectChecks,
  selectDueChecks,
  sourceIdOf,
  targetIdsOf,
  updateCheckResult,
  upsertCheck,
} from './netmon.repo';

/*
 * Services the server checks itself, in the manner of Uptime Kuma, so an outage shows even when no agent is
 * online: HTTP(S) (expected status, or any 2xx/3xx), TCP connect, and TLS (handshake and the certificate's
 * days left: degraded within `warnDays`, down once expired). IT lists them (admin, audited); a job in one
 * instance runs each when due and stores the result as a sample of the server's own source (target
 * `check:<slug>`), so it has the same raw / 5-minute / hourly series as a device's targets.
 */

type Ctx = Pick<ServerContext, 'db' | 'now' | 'bus' | 'log'>;
const DAY_MS = 24 * 3_600_000;
const CONCURRENCY = 8;

export interface CheckOutcome {
  health: Exclude<NetmonHealth, 'unknown'>;
  rttMs: number | null;
  error: string | null;
  certExpiresAt: number | null;
  status?: number;
}

const elapsed = (start: number) => Math.round((performance.now() - start) * 1000) / 1000;
const errorCode = (error: unknown): string => {
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'nxdomain';
  if (code === 'ETIMEDOUT' || code === 'timeout') return 'timeout';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'unreachable';
  if (typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) return 'tls-untrusted';
  return 'failed';
};
const isIp = (host: string) => net.isIP(host) !== 0;

function checkHttp(c: Extract<ServerCheck, { kind: 'http' }>): Promise<CheckOutcome> {
  const start = performance.now();
  const lib = c.scheme === 'https' ? https : http;
  return new Promise((resolve) => {
    const request = lib.request(
      {
        host: c.host,
        port: c.port,
        path: c.path,
        method: 'GET',
        timeout: c.timeoutMs,
        headers: { 'user-agent': 'deskside-check' },
        ...(c.scheme === 'https'
          ? { rejectUnauthorized: c.verifyTls, servername: isIp(c.host) ? undefined : c.host }
          : {}),
      },
      (response) => {
        const rttMs = elapsed(start);
        const status = response.statusCode ?? 0;
        response.resume();
        request.destroy();
        const ok = c.expectedStatus === undefined ? status >= 200 && status < 400 : status === c.expectedStatus;
        resolve({
          health: ok ? 'ok' : 'down',
          rttMs,
          error: ok ? null : `status-${status}`,
          certExpiresAt: null,
          status,
        });
      },
    );
    request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    request.on('error', (error) =>
      resolve({ health: 'down', rttMs: null, error: errorCode(error), certExpiresAt: null }),
    );
    request.end();
  });
}

function checkTcp(c: Extract<ServerCheck, { kind: 'tcp' }>): Promise<CheckOutcome> {
  const start = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host: c.host, port: c.port });
    socket.setTimeout(c.timeoutMs, () => socket.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    socket.once('connect', () => {
      const rttMs = elapsed(start);
      socket.destroy();
      resolve({ health: 'ok', rttMs, error: null, certExpiresAt: null });
    });
    socket.once('error', (error) =>
      resolve({ health: 'down', rttMs: null, error: errorCode(error), certExpiresAt: null }),
    );
  });
}

function checkTls(c: Extract<ServerCheck, { kind: 'tls' }>, now: number): Promise<CheckOutcome> {
  const start = performance.now();
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: c.host,
      port: c.port,
      rejectUnauthorized: c.verifyTls,
      ...(isIp(c.host) ? {} : { servername: c.host }),
    });
    socket.setTimeout(c.timeoutMs, () => socket.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    socket.once('secureConnect', () => {
      const rttMs = elapsed(start);
      const validTo = Date.parse(socket.getPeerCertificate().valid_to ?? '');
      socket.destroy();
      const certExpiresAt = Number.isFinite(validTo) ? validTo : null;
      if (certExpiresAt === null) return resolve({ health: 'down', rttMs, error: 'no-certificate', certExpiresAt });
      if (certExpiresAt <= now) return resolve({ health: 'down', rttMs, error: 'cert-expired', certExpiresAt });
      const expiring = certExpiresAt - now < c.warnDays * DAY_MS;
      resolve({ health: expiring ? 'degraded' : 'ok', rttMs, error: expiring ? 'cert-expiring' : null, certExpiresAt });
    });
    socket.once('error', (error) =>
      resolve({ health: 'down', rttMs: null, error: errorCode(error), certExpiresAt: null }),
    );
  });
}

/** Runs one check now (no storage). */
export function runCheck(check: ServerCheck, now: number): Promise<CheckOutcome> {
  switch (check.kind) {
    case 'http':
      return checkHttp(check);
    case 'tcp':
      return checkTcp(check);
    case 'tls':
      return checkTls(check, now);
  }
}

function definitionOf(row: NetmonChecksTable): ServerCheck {
  return serverCheckSchema.parse(JSON.parse(row.definition));
}

export function toCheckDto(row: NetmonChecksTable, now: number): ServerCheckDto {
  const health = (row.last_status ?? 'unknown') as NetmonHealth;
  return {
    slug: row.slug,
    target: `check:${row.slug}`,
    definition: definitionOf(row),
    health: row.enabled ? health : 'unknown',
    lastAt: row.last_at === null ? null : new Date(row.last_at).toISOString(),
    lastRttMs: row.last_rtt_us === null ? null : row.last_rtt_us / 1000,
    lastError: row.last_error,
    certExpiresAt: row.cert_expires_at === null ? null : new Date(row.cert_expires_at).toISOString(),
    certDaysLeft: row.cert_expires_at === null ? null : Math.floor((row.cert_expires_at - now) / DAY_MS),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export async function listChecks(ctx: Ctx): Promise<{ checks: ServerCheckDto[] }> {
  const now = ctx.now();
  return { checks: (await selectChecks(ctx.db.kysely)).map((r) => toCheckDto(r, now)) };
}

interface Actor {
  staff: StaffUser;
  ip: string | null;
}

/** Adds or changes a check (due at once), audited. */
export async function saveCheck(
  ctx: Ctx,
  actor: Actor,
  slug: string,
  body: z.output<typeof serverCheckSchema>,
): Promise<{ check: ServerCheckDto; created: boolean }> {
  const now = ctx.now();
  const existed = await selectCheck(ctx.db.kysely, slug);
  await upsertCheck(ctx.db.kysely, {
    slug,
    definition: JSON.stringify(body),
    interval_s: body.intervalSeconds,
    enabled: body.enabled ? 1 : 0,
    next_at: now,
    last_at: null,
    last_status: null,
    last_rtt_us: null,
    last_error: null,
    cert_expires_at: null,
    created_at: now,
    updated_at: now,
    updated_by: actor.staff.id,
  });
  await audit(ctx, {
    actorType: 'staff',
    actorId: actor.staff.id,
    action: 'netmon.check.saved',
    targetType: 'netmon_check',
    targetId: slug,
    details: { definition: body, created: !existed },
    ip: actor.ip,
  });
  ctx.bus.publish({ kind: 'netmon', what: 'checks' });
  return { check: toCheckDto((await selectCheck(ctx.db.kysely, slug))!, now), created: !existed };
}

export async function removeCheck(ctx: Ctx, actor: Actor, slug: string): Promise<void> {
  if (!(await deleteCheck(ctx.db.kysely, slug))) throw notFound('Check', 'netmon_check_not_found');
  await audit(ctx, {
    actorType: 'staff',
    actorId: actor.staff.id,
    action: 'netmon.check.deleted',
    targetType: 'netmon_check',
    targetId: slug,
    ip: actor.ip,
  });
  ctx.bus.publish({ kind: 'netmon', what: 'checks' });
}

export async function checkExists(ctx: Ctx, slug: string): Promise<void> {
  if (!(await selectCheck(ctx.db.kysely, slug))) throw notFound('Check', 'netmon_check_not_found');
}

/** Runs every due check (CONCURRENCY at a time), stores each result as a sample; returns the outcomes. */
export async function runDueChecks(ctx: Ctx): Promise<Map<string, CheckOutcome>> {
  const db = ctx.db.kysely;
  const due = await selectDueChecks(db, ctx.now());
  const outcomes = new Map<string, CheckOutcome>();
  if (due.length === 0) return outcomes;
  const sourceId = await sourceIdOf(db, 'server', 'server');
  const targets = await targetIdsOf(
    db,
    due.map((r) => `check:${r.slug}`),
  );
  let changed = false;
  const queue = [...due];
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const now = ctx.now();
      let outcome: CheckOutcome;
      try {
        outcome = await runCheck(definitionOf(row), now);
      } catch (error) {
        ctx.log.warn({ err: error, check: row.slug }, 'netmon check failed to run');
        outcome = { health: 'down', rttMs: null, error: 'failed', certExpiresAt: null };
      }
      outcomes.set(row.slug, outcome);
      const rttUs = outcome.rttMs === null ? null : Math.round(outcome.rttMs * 1000);
      await insertSamples(db, ctx.db.dialect, [
        {
          source_id: sourceId,
          target_id: targets.get(`check:${row.slug}`)!,
          at: now,
          sent: 1,
          received: outcome.health === 'down' ? 0 : 1,
          rtt_us: rttUs,
          min_us: rttUs,
          max_us: rttUs,
          jitter_us: null,
          error: outcome.error,
          http: outcome.status === undefined ? null : JSON.stringify({ status: outcome.status }),
        },
      ]);
      await updateCheckResult(db, row.slug, {
        next_at: now + row.interval_s * 1000,
        last_at: now,
        last_status: outcome.health,
        last_rtt_us: rttUs,
        last_error: outcome.error,
        cert_expires_at: outcome.certExpiresAt,
      });
      if (row.last_status !== outcome.health) changed = true;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, due.length) }, worker));
  if (changed) ctx.bus.publish({ kind: 'netmon', what: 'checks' });
  return outcomes;
}

/** Runs due checks every `tickMs` in the one instance holding the job; returns a stop function. */
export function startServerChecksJob(ctx: ServerContext, tickMs = 5_000): () => Promise<void> {
  const lock = jobLock(ctx.db, 'netmon-checks', (err) => ctx.log.warn({ err }, 'netmon checks lock: connection lost'));
  let running = false;
  const pass = async () => {
    if (running || !(await lock.held())) return;
    running = true;
    try {
      await runDueChecks(ctx);
    } catch (error) {
      ctx.log.error({ err: error }, 'netmon checks pass failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void pass(), tickMs);
  timer.unref();
  void pass();
  return async () => {
    clearInterval(timer);
    await lock.release();
  };
}
