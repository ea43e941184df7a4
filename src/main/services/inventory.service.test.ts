import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../shared/snapshot';
import { healthySnapshot, withSection } from '../../../test/fixtures/snapshot-factory';
import { ApiCallError } from './api-client';
import { createInventory, sectionHashes, type InventoryDeps } from './inventory.service';

const silent = { info: () => {}, warn: () => {}, error: () => {} };

describe('periodic inventory', () => {
  let dir: string;
  let current: Snapshot;
  let nextId: number;
  const sent: { kind: 'full' | 'delta'; body: unknown }[] = [];
  const api: InventoryDeps['api'] = {
    uploadSnapshot: async (snapshot) => {
      sent.push({ kind: 'full', body: snapshot });
      return { snapshotId: nextId++, findings: [] };
    },
    uploadSnapshotDelta: async (delta) => {
      sent.push({ kind: 'delta', body: delta });
      return { snapshotId: nextId++, findings: [] };
    },
  };
  const make = (overrides: Partial<InventoryDeps> = {}) =>
    createInventory({
      dataDir: dir,
      api,
      collect: async () => current,
      enrolled: () => true,
      logger: silent,
      intervalMs: () => 4 * 3_600_000,
      random: () => 0.5,
      ...overrides,
    });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deskside-inventory-'));
    current = healthySnapshot();
    nextId = 10;
    sent.length = 0;
  });
  afterEach(async () => {
    vi.useRealTimers();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends the whole snapshot first, nothing when nothing changed, then only the changed sections', async () => {
    const inventory = make();
    expect(await inventory.runNow()).toMatchObject({ sent: 'full', snapshotId: 10 });
    expect(await inventory.runNow()).toEqual({ sent: 'nothing', reason: 'unchanged' });
    current = withSection(current, 'memory', { usedBytes: (current.sections.memory?.usedBytes ?? 0) + 4096 });
    const outcome = await inventory.runNow();
    expect(outcome).toMatchObject({ sent: 'delta', snapshotId: 11, sections: 1 });
    const delta = sent.at(-1)!.body as { base: number; unchanged: string[]; snapshot: Snapshot };
    expect(delta.base).toBe(10);
    expect(Object.keys(delta.snapshot.sections)).toEqual(['memory']);
    expect(delta.unchanged).toContain('software');
    expect(delta.unchanged).not.toContain('memory');
    // A new agent process over the same folder continues from the stored base.
    current = withSection(current, 'memory', { usedBytes: (current.sections.memory?.usedBytes ?? 0) + 4096 });
    expect(
      await make()
        .runNow()
        .catch((e: unknown) => e),
    ).toMatchObject({ sent: 'delta' });
    expect(JSON.parse(await readFile(join(dir, 'inventory.json'), 'utf8'))).toMatchObject({
      snapshotId: 12,
      hashes: sectionHashes(current),
    });
  });

  it('sends the whole snapshot when the server does not know the base (409), and rethrows other failures', async () => {
    await make().runNow();
    current = withSection(current, 'memory', { usedBytes: 1 });
    const refusing = make({
      api: {
        ...api,
        uploadSnapshotDelta: async () =>
          Promise.reject(new ApiCallError('permanent', 'unknown base', 409, 'unknown_base')),
      },
    });
    expect(await refusing.runNow()).toMatchObject({ sent: 'full' });
    current = withSection(current, 'memory', { usedBytes: 2 });
    const offline = make({
      api: { ...api, uploadSnapshotDelta: async () => Promise.reject(new ApiCallError('transient', 'down')) },
    });
    await expect(offline.runNow()).rejects.toThrow('down');
  });

  it('sends nothing before enrollment, runs on its schedule with jitter, and not at all when IT sets 0', async () => {
    expect(await make({ enrolled: () => false }).runNow()).toEqual({ sent: 'nothing', reason: 'not-enrolled' });
    vi.useFakeTimers();
    const scheduled = make();
    await scheduled.start();
    // Never sent: about a minute after start (random 0.5 → 60 s).
    await vi.advanceTimersByTimeAsync(59_000);
    expect(sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2_000);
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    // Then every interval (± 15 %; random 0.5 → exactly 4 h).
    current = withSection(current, 'memory', { usedBytes: 7 });
    await vi.advanceTimersByTimeAsync(4 * 3_600_000 - 1_000);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000);
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    scheduled.stop();

    const off = make({ intervalMs: () => 0 });
    await off.start();
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(sent).toHaveLength(2);
  });
});

describe('significant changes between inventories', () => {
  it('collects only os, software and security, and sends the inventory at once when one of them changed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deskside-inventory-'));
    let current = healthySnapshot();
    const asked: (readonly string[] | undefined)[] = [];
    const sent: string[] = [];
    const inventory = createInventory({
      dataDir: dir,
      api: {
        uploadSnapshot: async () => (sent.push('full'), { snapshotId: 1, findings: [] }),
        uploadSnapshotDelta: async () => (sent.push('delta'), { snapshotId: 2, findings: [] }),
      },
      collect: async (sections) => {
        asked.push(sections);
        if (!sections) return current;
        return { ...current, sections: Object.fromEntries(sections.map((n) => [n, current.sections[n as 'os']])) };
      },
      enrolled: () => true,
      logger: silent,
      intervalMs: () => 4 * 3_600_000,
    });
    try {
      expect(await inventory.checkSignificant()).toEqual({ sent: 'nothing', reason: 'unchanged' });
      await inventory.runNow();
      // The load average moved: not significant.
      current = withSection(current, 'cpu', { loadPercent: 97 });
      expect(await inventory.checkSignificant()).toEqual({ sent: 'nothing', reason: 'unchanged' });
      expect(asked.at(-1)).toEqual(['os', 'software', 'security']);
      // An OS update is.
      current = withSection(current, 'os', { version: '12.99' });
      expect(await inventory.checkSignificant()).toMatchObject({ sent: 'delta' });
      expect(sent).toEqual(['full', 'delta']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
