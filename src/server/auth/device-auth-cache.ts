import type { EventBus } from '../events/event-bus';

/*
 * Device authentication, remembered for a few seconds per server process. Every request of an agent (a
 * ticket, a snapshot, a heartbeat, netmon results) authenticates by its token; without this, each one
 * costs a database round trip before its own work (half of a ticket submission's round trips on
 * PostgreSQL). Only valid tokens are remembered: an unknown or revoked one is looked up every time.
 *
 * A remembered token stops working at once where it matters: revoking a device or enrolling it again
 * (its token rotates) forgets it in this process before the change is answered, and in every other process
 * when the bus's event arrives (`device-revoked`, `device-token`); a transport that lost events (`resync`)
 * forgets everything. The TTL bounds the rest: a changed hostname shows in `request.auth` within it.
 *
 * A lookup that raced a forget is not stored: `generation` counts forgets, and `remember` only stores an
 * entry whose lookup began in the current generation (a revoke committed during the query is not undone).
 */

export interface CachedDevice<T> {
  readonly identity: T;
  /** The device's last_seen_at as last read or written by this process (touches are throttled on it). */
  lastSeenAt: number;
}

interface Entry<T> extends CachedDevice<T> {
  readonly deviceId: string;
  readonly until: number;
}

export const DEVICE_AUTH_TTL_MS = 10_000;
export const DEVICE_AUTH_MAX_ENTRIES = 50_000;

export class DeviceAuthCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private generationCount = 0;

  constructor(
    private readonly ttlMs = DEVICE_AUTH_TTL_MS,
    private readonly maxEntries = DEVICE_AUTH_MAX_ENTRIES,
  ) {}

  /** Counts forgets; pass what it was before a lookup to `remember`. */
  get generation(): number {
    return this.generationCount;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The device a token hash authenticated within the TTL, or undefined. */
  get(tokenHash: string, now: number): CachedDevice<T> | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.until > now) return entry;
    this.entries.delete(tokenHash);
    return undefined;
  }

  /** Stores a valid token's device, unless something was forgotten since the lookup began (`generation`). */
  remember(
    tokenHash: string,
    deviceId: string,
    device: CachedDevice<T>,
    now: number,
    generation: number,
  ): CachedDevice<T> {
    if (generation !== this.generationCount) return device;
    if (this.entries.size >= this.maxEntries && !this.entries.has(tokenHash)) {
      // The oldest stored goes first (a Map iterates in insertion order).
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    const entry: Entry<T> = { ...device, deviceId, until: now + this.ttlMs };
    this.entries.delete(tokenHash);
    this.entries.set(tokenHash, entry);
    return entry;
  }

  /** Forgets every token of a device (revoked, or enrolled again). */
  forgetDevice(deviceId: string): void {
    this.generationCount++;
    for (const [hash, entry] of this.entries) if (entry.deviceId === deviceId) this.entries.delete(hash);
  }

  forgetAll(): void {
    this.generationCount++;
    this.entries.clear();
  }
}

const caches = new WeakMap<EventBus, DeviceAuthCache<unknown>>();

/** The cache of the process whose bus this is, subscribed to the events that end a token. */
export function deviceAuthCacheOf<T>(bus: EventBus): DeviceAuthCache<T> {
  let cache = caches.get(bus);
  if (!cache) {
    const created = new DeviceAuthCache<unknown>();
    bus.subscribe((event) => {
      if (event.kind === 'device-revoked' || event.kind === 'device-token') created.forgetDevice(event.deviceId);
      else if (event.kind === 'resync') created.forgetAll();
    });
    caches.set(bus, created);
    cache = created;
  }
  return cache as DeviceAuthCache<T>;
}
