import type { Kysely, Transaction } from 'kysely';
import type { ServerContext } from '../context';
import type { Database } from '../db/schema';
import { consoleBaseUrl, enqueueWebhookEvent } from './webhook-enqueue';

/*
 * Webhook events that are not ticket history: a device enrolling (enroll.service.ts) and network alerts
 * firing and resolving (alert-evaluate.service.ts). Each is enqueued where it happens, with a source id
 * that makes a repeat of the same occurrence a no-op.
 */

type Executor = Kysely<Database> | Transaction<Database>;

export interface EnrolledDevice {
  id: string;
  hostname: string;
  osName: string | null;
  osVersion: string | null;
  platform: string;
  agentVersion: string;
  groups: string[];
}

/** `device.enrolled` (a re-enrollment too: it rotates the device's token, which IT may want to know). */
export async function enqueueDeviceEnrolled(
  ctx: Pick<ServerContext, 'config' | 'now'>,
  db: Executor,
  device: EnrolledDevice,
): Promise<void> {
  const now = ctx.now();
  const os = [device.osName ?? device.platform, device.osVersion].filter(Boolean).join(' ');
  await enqueueWebhookEvent(db, now, {
    type: 'device.enrolled',
    sourceId: `device:${device.id}:enrolled:${now}`,
    at: now,
    summary: `Device ${device.hostname} enrolled (${os})`,
    url: `${consoleBaseUrl(ctx)}/devices/${encodeURIComponent(device.id)}`,
    data: { device },
  });
}

export interface AlertIncident {
  id: number;
  ruleName: string;
  scopeName: string;
  metric: string;
  threshold: number;
  value: number | null;
  ticketId: number | null;
  affectedDevices: number;
  payload: unknown;
}

/** `alert.firing` / `alert.resolved` for webhooks that chose them (rules' own webhooks are separate). */
export async function enqueueAlertEvent(
  ctx: Pick<ServerContext, 'now'> & Partial<Pick<ServerContext, 'config'>>,
  db: Executor,
  state: 'firing' | 'resolved',
  incident: AlertIncident,
): Promise<void> {
  const now = ctx.now();
  const base = ctx.config ? consoleBaseUrl({ config: ctx.config }) : null;
  const value = incident.value === null ? 'no data' : `${Math.round(incident.value * 10) / 10}`;
  await enqueueWebhookEvent(db, now, {
    type: state === 'firing' ? 'alert.firing' : 'alert.resolved',
    sourceId: `incident:${incident.id}:${state}`,
    at: now,
    summary:
      state === 'firing'
        ? `Alert firing: ${incident.ruleName} at ${incident.scopeName} (${incident.metric} ${value}, threshold ${incident.threshold}; ${incident.affectedDevices} devices)`
        : `Alert resolved: ${incident.ruleName} at ${incident.scopeName}`,
    url: base && incident.ticketId !== null ? `${base}/tickets/${incident.ticketId}` : null,
    data: { incident: incident.payload },
  });
}
