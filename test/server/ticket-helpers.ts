import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { CreateTicketRequest } from '../../src/shared/api/tickets';
import type { Snapshot } from '../../src/shared/snapshot';
import { healthySnapshot, withSection } from '../fixtures/snapshot-factory';
import type { EnrolledDevice, StaffSession, TestServer } from './harness';

/** A real 1x1 PNG, as a screenshot upload carries it. */
export const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** A fresh idempotency key, as the agent's outbox makes one per ticket. */
export const newKey = () => `key_${randomBytes(12).toString('hex')}`;

/** The healthy laptop with its root filesystem at `percent` full (disk.almost_full from 90%). */
export function rootFull(snap: Snapshot, percent: number): Snapshot {
  const filesystems = (snap.sections.storage?.filesystems ?? []).map((fs) =>
    fs.mount === '/'
      ? {
          ...fs,
          usedBytes: Math.round((fs.sizeBytes * percent) / 100),
          availableBytes: fs.sizeBytes - Math.round((fs.sizeBytes * percent) / 100),
          usePercent: percent,
        }
      : fs,
  );
  return withSection(snap, 'storage', { filesystems });
}

/** The healthy laptop with `count` more dpkg packages: a snapshot as large as a busy workstation's (~120 bytes each). */
export function withPackages(snap: Snapshot, count: number): Snapshot {
  const software = snap.sections.software ?? { sources: [], packages: [] };
  const extra = Array.from({ length: count }, (_, i) => ({
    name: `lib-extra-package-${i}`,
    version: `1.${i % 50}.${i % 7}-0ubuntu1`,
    source: 'dpkg' as const,
    publisher: 'Ubuntu Developers',
  }));
  return withSection(snap, 'software', { packages: [...software.packages, ...extra] });
}

/** A typical ticket from the tray form with the healthy snapshot attached. */
export function ticketPayload(overrides: Partial<CreateTicketRequest> = {}): CreateTicketRequest {
  return {
    subject: 'Outlook keeps asking for my password',
    description: 'Since this morning, every few minutes.',
    category: 'email',
    urgency: 'medium',
    impact: 'low',
    requester: { name: 'Dana Whitfield', email: 'dana@example.com' },
    snapshot: healthySnapshot(),
    ...overrides,
  };
}

/** POSTs a ticket as a device with an Idempotency-Key (a new one unless given). */
export function postTicket(
  s: TestServer,
  device: EnrolledDevice,
  payload: unknown = ticketPayload(),
  key: string = newKey(),
): Promise<LightMyRequestResponse> {
  return s.inject({
    method: 'POST',
    url: '/api/v1/tickets',
    headers: { ...device.headers, 'idempotency-key': key },
    payload: payload as Record<string, unknown>,
  });
}

/** Files a ticket and returns its id, failing loudly if it was not created. */
export async function fileTicket(
  s: TestServer,
  device: EnrolledDevice,
  overrides: Partial<CreateTicketRequest> = {},
): Promise<number> {
  const res = await postTicket(s, device, ticketPayload({ snapshot: undefined, ...overrides }));
  if (res.statusCode !== 201) throw new Error(`ticket not created: ${res.statusCode} ${res.body}`);
  return res.json().id as number;
}

/** Posts a message as a device or a staff member. */
export function postMessage(
  s: TestServer,
  who: EnrolledDevice | StaffSession,
  ticketId: number,
  payload: Record<string, unknown>,
): Promise<LightMyRequestResponse> {
  return s.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/messages`, headers: who.headers, payload });
}

/** Sets a ticket's status directly, the way the staff console (another module) would. */
export async function setStatus(
  s: TestServer,
  ticketId: number,
  status: 'new' | 'open' | 'pending' | 'resolved' | 'closed',
  closedAt: number | null = null,
): Promise<void> {
  await s.db.kysely.updateTable('tickets').set({ status, closed_at: closedAt }).where('id', '=', ticketId).execute();
}

/** The newest message id so far: a cursor after which a test sees only its own messages. */
export async function latestMessageId(s: TestServer): Promise<number> {
  const row = await s.db.kysely
    .selectFrom('messages')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}
