import { z } from 'zod';
import { FLEET_PAGE_DEFAULT, FLEET_PAGE_MAX, FLEET_TEXT_MAX } from '../fleet-fields';
import { findingCodeSchema } from '../health/finding';
import { text } from '../text/text-schema';
import { isComparableVersion } from '../version-compare';
import { healthStatusSchema, osPlatformSchema } from './devices';
import { endpointGroup } from './endpoint';

/*
 * Fleet queries for staff, answered from the fleet index (each device's packages and findings from its
 * latest snapshot) rather than from stored snapshots. Revoked devices are not part of the fleet.
 * A device is online when it was seen (heartbeat, snapshot, ticket, live channel) in the last 75 s.
 */

const pageQuery = {
  limit: z.coerce.number().int().min(1).max(FLEET_PAGE_MAX).default(FLEET_PAGE_DEFAULT),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};

const version = () =>
  text().trim().min(1).max(FLEET_TEXT_MAX).refine(isComparableVersion, 'A version needs at least one digit or letter');

const fleetOsSchema = z.object({ platform: z.string(), name: z.string().nullable(), version: z.string().nullable() });

/** GET /api/v1/fleet/summary: the fleet by OS, health and finding. */
export const fleetSummarySchema = z.object({
  devices: z.number(),
  online: z.number(),
  /** Devices per OS name and version, most first. */
  byOs: z.array(fleetOsSchema.extend({ devices: z.number() })),
  /** Devices per health status, every status (zero included). */
  byHealth: z.array(z.object({ status: healthStatusSchema, devices: z.number() })),
  /** Devices whose latest snapshot has each finding, most first. */
  byFinding: z.array(z.object({ code: findingCodeSchema, devices: z.number() })),
});
export type FleetSummary = z.infer<typeof fleetSummarySchema>;

/** GET /api/v1/fleet/devices query: every filter given must hold. */
export const fleetDevicesQuerySchema = z.object({
  platform: osPlatformSchema.optional(),
  /** OS name exactly as the device reports it (e.g. "Ubuntu", as fleetSummary lists it). */
  os: text().trim().min(1).max(FLEET_TEXT_MAX).optional(),
  /** Exact OS version (e.g. "24.04"); with `os`. */
  osVersion: text().trim().min(1).max(FLEET_TEXT_MAX).optional(),
  finding: findingCodeSchema.optional(),
  health: healthStatusSchema.optional(),
  online: z.enum(['true', 'false']).optional(),
  ...pageQuery,
});

/** A device as fleet queries list it. */
export const fleetDeviceSchema = z.object({
  id: z.string(),
  hostname: z.string(),
  os: fleetOsSchema,
  healthStatus: healthStatusSchema,
  lastSeenAt: z.string(),
  online: z.boolean(),
});
export type FleetDevice = z.infer<typeof fleetDeviceSchema>;

export const fleetDevicesResponseSchema = z.object({ devices: z.array(fleetDeviceSchema), total: z.number() });

/** GET /api/v1/fleet/software query: a package by name (whole name, any case), optionally within versions. */
export const fleetSoftwareQuerySchema = z.object({
  name: text().trim().min(1).max(FLEET_TEXT_MAX),
  /** Only versions older than this (versions compared as src/shared/version-compare.ts says). */
  versionBelow: version().optional(),
  /** Only versions this one or newer. */
  versionAtLeast: version().optional(),
  ...pageQuery,
});

/** One installed copy of the package on a device. */
export const fleetSoftwareMatchSchema = fleetDeviceSchema.extend({
  name: z.string(),
  version: z.string().nullable(),
  source: z.string(),
});
export type FleetSoftwareMatch = z.infer<typeof fleetSoftwareMatchSchema>;

export const fleetSoftwareResponseSchema = z.object({
  /** Copies matching name and versions, by hostname; a device with two (e.g. dpkg and snap) is listed twice. */
  matches: z.array(fleetSoftwareMatchSchema),
  total: z.number(),
  /** Distinct devices among all matches. */
  devices: z.number(),
  /** Every version of the package in the fleet (whatever the version filters), newest first. */
  versions: z.array(z.object({ version: z.string().nullable(), devices: z.number() })),
});
export type FleetSoftwareResponse = z.infer<typeof fleetSoftwareResponseSchema>;

export const fleetEndpoints = endpointGroup('fleet', {
  fleetSummary: {
    summary: 'The fleet by OS and version, health status and finding',
    responses: { 200: fleetSummarySchema },
  },
  fleetDevices: {
    summary: 'Devices by OS, version, finding, health and online state',
    query: fleetDevicesQuerySchema,
    responses: { 200: fleetDevicesResponseSchema },
  },
  fleetSoftware: {
    summary: 'Devices with an installed package, optionally older than or at least a version',
    query: fleetSoftwareQuerySchema,
    responses: { 200: fleetSoftwareResponseSchema },
  },
});
