import { randomBytes } from 'node:crypto';
import type { Snapshot } from '../../../src/shared/snapshot';
import { healthySnapshot, withSection, withoutSection } from '../../fixtures/snapshot-factory';

/*
 * The agent's side of the console tests: enroll devices and file tickets and snapshots through the
 * real device API (Bearer token, Idempotency-Key), exactly as the tray agent does.
 */

/** An enrolled device. */
export interface Device {
  id: string;
  token: string;
  hostname: string;
  os: TestOs;
}

async function call<T>(
  url: string,
  path: string,
  init: { method: string; token?: string; body?: unknown; headers?: Record<string, string> },
): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method: init.method,
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** Enrolls a device with the enrollment secret. */
export async function enroll(url: string, secret: string, hostname: string, os: TestOs): Promise<Device> {
  const answer = await call<{ deviceId: string; deviceToken: string }>(url, '/api/v1/enroll', {
    method: 'POST',
    body: {
      enrollSecret: secret,
      machineId: `machine-${randomBytes(8).toString('hex')}`,
      hostname,
      os,
      agentVersion: '0.1.0',
      groups: ['laptops'],
    },
  });
  return { id: answer.deviceId, token: answer.deviceToken, hostname, os };
}

/** Files a ticket from the device (with its snapshot), once. */
export async function fileTicket(
  url: string,
  device: Device,
  body: Record<string, unknown>,
): Promise<{ id: number; snapshotId: number | null }> {
  return call(url, '/api/v1/tickets', {
    method: 'POST',
    token: device.token,
    body,
    headers: { 'idempotency-key': randomBytes(12).toString('hex') },
  });
}

/** Uploads a periodic snapshot. */
export async function uploadSnapshot(url: string, device: Device, snapshot: Snapshot): Promise<{ snapshotId: number }> {
  return call(url, '/api/v1/snapshots', { method: 'POST', token: device.token, body: snapshot });
}

/** The employee answers on a ticket, optionally with a screenshot. */
export async function deviceReply(
  url: string,
  device: Device,
  ticketId: number,
  body: string,
  screenshotPng?: Buffer,
): Promise<{ id: number }> {
  const attachments = screenshotPng
    ? [
        {
          kind: 'screenshot',
          filename: 'outlook-error.png',
          contentType: 'image/png',
          dataBase64: screenshotPng.toString('base64'),
        },
      ]
    : [];
  return call(url, `/api/v1/tickets/${ticketId}/messages`, {
    method: 'POST',
    token: device.token,
    body: { body, attachments },
  });
}

const GiB = 1024 ** 3;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

/** The operating system a test device reports in its snapshots. */
export type TestOs = { platform: 'linux' | 'win32' | 'darwin'; name: string; version: string };

/** Yesterday's periodic snapshot of a laptop: healthy, with the office printers. */
export function baselineSnapshot(hostname: string, os?: TestOs): Snapshot {
  const base = healthySnapshot();
  const snap = withSection(base, 'os', {
    ...base.sections.os!,
    hostname,
    ...(os ? { platform: os.platform, name: os.name, version: os.version, codename: null, build: null } : {}),
  });
  snap.collectedAt = hoursAgo(26);
  return snap;
}

/**
 * The snapshot the ticket carries: the disk filled up, Zoom was updated, a printer with a hostile
 * name appeared, the gateway went missing, and the USB probe timed out (shown honestly, per section).
 */
export function ticketSnapshot(hostname: string, hostilePrinter: string): Snapshot {
  const base = baselineSnapshot(hostname);
  let snap = withSection(base, 'storage', {
    filesystems: base.sections.storage!.filesystems.map((fs) =>
      fs.mount === '/'
        ? { ...fs, usedBytes: 0.97 * fs.sizeBytes, availableBytes: 0.03 * fs.sizeBytes, usePercent: 97 }
        : fs,
    ),
  });
  snap = withSection(snap, 'software', {
    packages: [
      ...base.sections.software!.packages.map((p) => (p.name === 'zoom' ? { ...p, version: '6.4.0.1234' } : p)),
      { name: 'openvpn', version: '2.6.9-1ubuntu4', source: 'dpkg', publisher: 'Ubuntu Developers' },
    ],
  });
  snap = withSection(snap, 'printers', {
    printers: [
      ...base.sections.printers!.printers,
      { name: hostilePrinter, status: 'stopped', isDefault: false, shared: false, queuedJobs: 3 },
    ],
  });
  snap = withSection(snap, 'network', { defaultGateway: null });
  snap = withoutSection(snap, 'usb');
  snap.probes.usb = {
    status: 'timeout',
    durationMs: 3000,
    error: { code: 'timeout', message: 'lsusb did not answer within 3000 ms' },
  };
  snap.sections.memory = {
    ...snap.sections.memory!,
    usedBytes: 14.9 * GiB,
    availableBytes: 0.4 * GiB,
    usedPercent: 94,
  };
  snap.collectedAt = hoursAgo(0.2);
  return snap;
}
