import { describe, expect, it } from 'vitest';
import type { UserSettings } from '../../shared/ipc/contract';
import type { SectionName, Snapshot } from '../../shared/snapshot';
import type { CollectOptions } from '../diagnostics/collector';
import { healthySnapshot } from '../../../test/fixtures/snapshot-factory';
import { createSnapshotService, withoutSections } from './snapshot.service';

function fakeCollector() {
  const calls: CollectOptions[] = [];
  return {
    calls,
    async collect(options: CollectOptions): Promise<Snapshot> {
      calls.push(options);
      const snap = healthySnapshot();
      for (const name of options.omit ?? []) {
        delete snap.sections[name];
        snap.probes[name] = { status: 'omitted', durationMs: 0, error: null };
      }
      return { ...snap, redacted: options.redact === true };
    },
  };
}

const silent = { info() {}, warn() {}, error() {} };

describe('snapshot service', () => {
  it('collects once in the background with the privacy settings; the preview is what is sent minus unticked sections', async () => {
    const collector = fakeCollector();
    const privacy: UserSettings['privacy'] = { redact: true, excludedSections: ['processes'], allowScreenshots: true };
    const service = createSnapshotService({
      collector,
      privacy: () => privacy,
      serverUrl: () => 'https://help.example.com',
      logger: silent,
    });
    expect(service.prepare(false)).toMatchObject({ state: 'collecting', snapshot: null, lockedOut: ['processes'] });
    const preview = await service.preview();
    expect(preview.state).toBe('ready');
    expect(preview.snapshot?.redacted).toBe(true);
    expect(preview.snapshot?.sections.processes).toBeUndefined();
    expect(collector.calls).toEqual([
      { omit: ['processes'], redact: true, settings: { serverUrl: 'https://help.example.com' } },
    ]);
    expect(service.prepare(false).state).toBe('ready');

    const sent = await service.forSubmit(['software', 'usb']);
    expect(collector.calls).toHaveLength(1);
    const expected = withoutSections(preview.snapshot as Snapshot, ['software', 'usb']);
    expect(sent).toEqual(expected);
    expect(sent.sections.software).toBeUndefined();
    expect(sent.probes.software).toBeUndefined();
    expect(sent.probes.processes?.status).toBe('omitted');
    // The next form collects afresh.
    await service.forSubmit([]);
    expect(collector.calls).toHaveLength(2);
  });

  it('collects again when the privacy settings changed since the preview, and on fresh', async () => {
    const collector = fakeCollector();
    let excluded: SectionName[] = [];
    const service = createSnapshotService({
      collector,
      privacy: () => ({ redact: false, excludedSections: excluded, allowScreenshots: true }),
      serverUrl: () => null,
      logger: silent,
    });
    await service.preview();
    excluded = ['network'];
    const sent = await service.forSubmit([]);
    expect(collector.calls).toHaveLength(2);
    expect(sent.sections.network).toBeUndefined();
    service.prepare(true);
    service.prepare(false);
    expect(collector.calls).toHaveLength(3);
  });

  it('reports a failed collection and retries on the next prepare', async () => {
    let fail = true;
    const service = createSnapshotService({
      collector: { collect: async () => (fail ? Promise.reject(new Error('probe engine broke')) : healthySnapshot()) },
      privacy: () => ({ redact: false, excludedSections: [], allowScreenshots: true }),
      serverUrl: () => null,
      logger: silent,
    });
    expect(await service.preview()).toMatchObject({ state: 'failed', error: 'probe engine broke' });
    fail = false;
    expect((await service.preview()).state).toBe('ready');
  });
});
