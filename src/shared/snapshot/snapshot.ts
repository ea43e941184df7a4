import { z } from 'zod';
import { SECTION_NAMES, SECTION_TITLES, SNAPSHOT_SCHEMA_VERSION, type SectionName } from './section-names';
import { sanitizeMachineDocument } from '../text/unsafe-text';
import * as s from './sections';

/** Every section a snapshot can carry, in display order, with its schema. */
export const sectionSchemas = {
  device: s.deviceSection,
  os: s.osSection,
  cpu: s.cpuSection,
  memory: s.memorySection,
  storage: s.storageSection,
  battery: s.batterySection,
  displays: s.displaysSection,
  network: s.networkSection,
  connectivity: s.connectivitySection,
  processes: s.processesSection,
  services: s.servicesSection,
  software: s.softwareSection,
  printers: s.printersSection,
  usb: s.usbSection,
  events: s.eventsSection,
  security: s.securitySection,
  remoteTools: s.remoteToolsSection,
} as const satisfies Record<SectionName, z.ZodType>;

export type { SectionName };
export { SECTION_NAMES, SECTION_TITLES, SNAPSHOT_SCHEMA_VERSION };
export type Sections = { [K in SectionName]: z.infer<(typeof sectionSchemas)[K]> };

/** Is this string a section name? */
export function isSectionName(value: string): value is SectionName {
  return Object.hasOwn(sectionSchemas, value);
}

export const probeStatusSchema = z.enum(['ok', 'error', 'timeout', 'unsupported', 'omitted']);
export type ProbeStatus = z.infer<typeof probeStatusSchema>;

/** How one probe went: always present for every requested section. */
export const probeReportSchema = z.object({
  status: probeStatusSchema,
  durationMs: z.number().nonnegative(),
  error: z.object({ code: z.string().max(64), message: z.string().max(512) }).nullable(),
});
export type ProbeReport = z.infer<typeof probeReportSchema>;

const sectionsSchema = z.object(
  Object.fromEntries(SECTION_NAMES.map((name) => [name, sectionSchemas[name].optional()])) as {
    [K in SectionName]: z.ZodOptional<(typeof sectionSchemas)[K]>;
  },
);

/** The full snapshot document attached to tickets. */
export const snapshotSchema = z.object({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  collectedAt: z.iso.datetime({ offset: true }),
  durationMs: z.number().nonnegative(),
  agent: z.object({ name: z.string().max(64), version: z.string().max(64) }),
  /** True when serials and MACs are hashed and user names dropped. */
  redacted: z.boolean(),
  probes: z.partialRecord(z.enum(SECTION_NAMES), probeReportSchema),
  sections: sectionsSchema,
});

export type Snapshot = z.infer<typeof snapshotSchema>;

/** Validates unknown input as a snapshot, with a readable message on failure. */
export function parseSnapshot(input: unknown): { ok: true; value: Snapshot } | { ok: false; message: string } {
  // A machine's document: odd characters in names are repaired (U+FFFD), never a reason to refuse it.
  const parsed = snapshotSchema.safeParse(sanitizeMachineDocument(input));
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, message: z.prettifyError(parsed.error) };
}

export type Disk = z.infer<typeof s.diskSchema>;
export type Filesystem = z.infer<typeof s.filesystemSchema>;
export type NetworkInterface = z.infer<typeof s.interfaceSchema>;
export type ConnectivityCheck = z.infer<typeof s.connectivityCheckSchema>;
export type ProcessInfo = z.infer<typeof s.processSchema>;
export type ServiceInfo = z.infer<typeof s.serviceSchema>;
export type InstalledPackage = z.infer<typeof s.packageSchema>;
export type SoftwareSource = z.infer<typeof s.softwareSourceSchema>;
export type SystemEvent = z.infer<typeof s.eventSchema>;
export type RemoteTool = z.infer<typeof s.remoteToolSchema>;
