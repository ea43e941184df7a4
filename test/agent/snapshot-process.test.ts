import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/main/services/headless-agent';
import { createProcessCollector, forkSnapshotProcess } from '../../src/main/services/snapshot-process';
import { snapshotSchema } from '../../src/shared/snapshot';

/*
 * The real snapshot process: snapshot-worker.ts forked as a Node child (through tsx here, the bundle
 * in the app), collecting this machine's snapshot with the real diagnostics engine and exiting.
 */

const WORKER = join(import.meta.dirname, '../../src/main/services/snapshot-worker.ts');

describe('snapshot process', () => {
  it('collects a valid snapshot of this machine in a child process, honouring the options', async () => {
    const collector = createProcessCollector(
      forkSnapshotProcess(WORKER, ['--import', 'tsx']),
      { name: 'Deskside', version: '0.0.0-test' },
      silentLogger,
    );
    const snapshot = await collector.collect({ omit: ['printers', 'software'], settings: { serverUrl: null } });
    expect(snapshotSchema.safeParse(snapshot).success).toBe(true);
    expect(snapshot.agent).toMatchObject({ name: 'Deskside', version: '0.0.0-test' });
    expect(snapshot.probes.printers?.status).toBe('omitted');
    // Every section not omitted has a probe report (ok, or why not).
    expect(Object.keys(snapshot.probes)).toContain('os');
  }, 60_000);
});
