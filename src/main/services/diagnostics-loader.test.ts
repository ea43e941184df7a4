import { describe, expect, it } from 'vitest';
import { createDiagnostics } from '../diagnostics';
import { loadDiagnostics } from './diagnostics-loader';

describe('diagnostics loader', () => {
  it('builds the real collector on demand and collects a section on this machine', async () => {
    const diagnostics = await loadDiagnostics({ name: 'Deskside', version: '0.0.0-test' });
    try {
      const snapshot = await diagnostics.collect({ sections: ['os', 'memory'] });
      expect(snapshot.agent).toMatchObject({ name: 'Deskside', version: '0.0.0-test' });
      expect(snapshot.probes.os?.status).toBe('ok');
      expect(snapshot.sections.os?.hostname).toBeTruthy();
      expect(snapshot.probes.memory?.status).toBe('ok');
    } finally {
      diagnostics.dispose();
    }
  });

  it('redacts with the same key as diagnostics/index.ts (the two compositions must not drift)', async () => {
    const agent = { name: 'Deskside', version: '0.0.0-test' };
    const loaded = await loadDiagnostics(agent);
    const direct = createDiagnostics(agent);
    try {
      const [a, b] = await Promise.all([loaded.collect({ sections: ['device'], redact: true }), direct.collect({ sections: ['device'], redact: true })]);
      // The device section carries the hashed serial (or nothing to hash, on machines without one).
      expect(a.sections.device).toEqual(b.sections.device);
    } finally {
      loaded.dispose();
      direct.dispose();
    }
  });
});
