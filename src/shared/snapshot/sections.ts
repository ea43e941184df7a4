import { z } from 'zod';

/*
 * One schema per snapshot section. `null` means "not knowable on this machine"; an absent
 * section means its probe failed, timed out or was left out (see the probe report).
 * String and array sizes are bounded so a hostile or broken probe cannot bloat a ticket.
 */

const text = (max = 256) => z.string().max(max);
const optText = (max = 256) => text(max).nullable();
const count = z.number().int().nonnegative();
const bytes = z.number().nonnegative();
const percent = z.number().min(0).max(100);
const isoTime = z.iso.datetime({ offset: true });

export const deviceSection = z.object({
  vendor: optText(),
  model: optText(),
  serial: optText(),
  type: z.enum(['desktop', 'laptop', 'virtual-machine', 'server', 'other', 'unknown']),
  virtual: z.boolean(),
  bios: z.object({ vendor: optText(), version: optText(), releaseDate: optText() }).nullable(),
});

export const osSection = z.object({
  platform: z.enum(['linux', 'darwin', 'win32', 'other']),
  name: text(),
  version: optText(),
  build: optText(),
  codename: optText(),
  kernel: optText(),
  arch: text(32),
  hostname: text(),
  timezone: optText(),
  uptimeSeconds: count,
  lastBoot: isoTime,
  /** null when the OS gives no way to know. */
  pendingReboot: z.boolean().nullable(),
  pendingRebootReasons: z.array(text()).max(20),
  /** Signed-in user; dropped by redaction. */
  user: optText(),
});

export const cpuSection = z.object({
  manufacturer: optText(),
  brand: text(),
  speedGHz: z.number().nonnegative().nullable(),
  physicalCores: count,
  logicalCores: count,
  loadPercent: percent,
  loadAverage: z.tuple([z.number(), z.number(), z.number()]).nullable(),
  temperatureC: z.number().nullable(),
});

export const memorySection = z.object({
  totalBytes: bytes,
  usedBytes: bytes,
  availableBytes: bytes,
  usedPercent: percent,
  swapTotalBytes: bytes,
  swapUsedBytes: bytes,
});

export const diskSchema = z.object({
  name: text(),
  device: optText(),
  type: optText(64),
  interface: optText(64),
  sizeBytes: bytes,
  serial: optText(),
  smart: z.enum(['ok', 'failing', 'unknown']),
});

export const filesystemSchema = z.object({
  mount: text(1024),
  device: optText(1024),
  fsType: optText(64),
  sizeBytes: bytes,
  usedBytes: bytes,
  availableBytes: bytes,
  usePercent: percent,
});

export const storageSection = z.object({
  disks: z.array(diskSchema).max(64),
  filesystems: z.array(filesystemSchema).max(128),
});

export const batterySection = z.object({
  present: z.boolean(),
  percent: percent.nullable(),
  charging: z.boolean().nullable(),
  acConnected: z.boolean().nullable(),
  cycleCount: count.nullable(),
  /** Full-charge capacity as a share of design capacity. */
  healthPercent: z.number().min(0).max(200).nullable(),
  model: optText(),
  serial: optText(),
});

export const displaysSection = z.object({
  graphics: z
    .array(z.object({ vendor: optText(), model: text(), vramMB: count.nullable(), driverVersion: optText() }))
    .max(16),
  displays: z
    .array(
      z.object({
        model: optText(),
        main: z.boolean(),
        resolution: optText(32),
        refreshHz: z.number().nonnegative().nullable(),
        connection: optText(64),
      }),
    )
    .max(16),
});

export const interfaceSchema = z.object({
  name: text(),
  type: z.enum(['wired', 'wireless', 'virtual', 'loopback', 'other']),
  mac: optText(64),
  ipv4: z.array(text(64)).max(16),
  ipv6: z.array(text(64)).max(16),
  up: z.boolean(),
  speedMbps: z.number().nonnegative().nullable(),
  dhcp: z.boolean().nullable(),
  isDefault: z.boolean(),
});

export const wifiSchema = z.object({
  ssid: text(),
  signalDbm: z.number().nullable(),
  qualityPercent: percent.nullable(),
  channel: z.number().nullable(),
  frequencyMHz: z.number().nullable(),
  security: optText(),
});

export const networkSection = z.object({
  interfaces: z.array(interfaceSchema).max(64),
  defaultInterface: optText(),
  defaultGateway: optText(64),
  dnsServers: z.array(text(64)).max(16),
  wifi: wifiSchema.nullable(),
});

export const connectivityCheckSchema = z.object({
  kind: z.enum(['gateway', 'dns', 'server', 'url']),
  target: text(2048),
  status: z.enum(['ok', 'failed', 'skipped']),
  latencyMs: z.number().nonnegative().nullable(),
  detail: optText(512),
});

export const connectivitySection = z.object({
  checks: z.array(connectivityCheckSchema).max(32),
});

export const processSchema = z.object({
  pid: count,
  name: text(),
  cpuPercent: z.number().nonnegative(),
  memoryBytes: bytes,
  /** Dropped by redaction. */
  user: optText(),
});

export const processesSection = z.object({
  total: count,
  sampleMs: count,
  topByCpu: z.array(processSchema).max(20),
  topByMemory: z.array(processSchema).max(20),
});

export const serviceSchema = z.object({
  name: text(),
  state: text(64),
  description: optText(),
});

export const servicesSection = z.object({
  manager: z.enum(['systemd', 'windows', 'launchd', 'none']),
  failed: z.array(serviceSchema).max(100),
  stoppedAutomatic: z.array(serviceSchema).max(100),
});

export const softwareSourceSchema = z.enum(['dpkg', 'rpm', 'flatpak', 'snap', 'registry', 'applications']);

export const packageSchema = z.object({
  name: text(),
  version: optText(128),
  source: softwareSourceSchema,
  publisher: optText(),
});

export const softwareSection = z.object({
  sources: z.array(z.object({ source: softwareSourceSchema, count, error: optText(512) })).max(8),
  packages: z.array(packageSchema).max(20_000),
});

export const eventSchema = z.object({
  time: isoTime,
  source: text(),
  level: z.enum(['critical', 'error']),
  id: optText(64),
  message: text(1024),
});

export const eventsSection = z.object({
  log: z.enum(['journald', 'windows-system', 'unified-log', 'none']),
  windowHours: count,
  /** How many matched before the list was capped. */
  total: count,
  entries: z.array(eventSchema).max(200),
});

const tri = z.boolean().nullable();

export const securitySection = z.object({
  firewall: z.object({ enabled: tri, product: optText() }),
  diskEncryption: z.object({ enabled: tri, method: optText() }),
  antivirus: z.array(z.object({ name: text(), enabled: tri, upToDate: tri })).max(16),
  secureBoot: tri,
});

export const printersSection = z.object({
  printers: z
    .array(
      z.object({
        name: text(),
        status: optText(64),
        isDefault: z.boolean(),
        shared: z.boolean().nullable(),
        queuedJobs: count.nullable(),
      }),
    )
    .max(64),
});

export const usbSection = z.object({
  devices: z
    .array(
      z.object({
        name: text(),
        vendor: optText(),
        type: optText(64),
        id: optText(64),
        serial: optText(),
      }),
    )
    .max(128),
});

/** Remote-access tools IT already runs on the device, with the ID a technician connects to (issue 13). */
export const remoteToolSchema = z.object({
  tool: z.enum(['rustdesk', 'meshcentral']),
  /** RustDesk: the ID people type to connect; MeshCentral: the agent's node id. null when it could not be read. */
  id: optText(128),
  /** MeshCentral: the server the agent connects to (its .msh `MeshServer`, wss://host:port/agent.ashx). */
  server: optText(512),
  /** MeshCentral: the device group (its .msh `MeshID`). */
  group: optText(256),
  /** Why the ID is missing or where it came from, for the technician. */
  note: optText(256),
});

export const remoteToolsSection = z.object({
  tools: z.array(remoteToolSchema).max(8),
});
