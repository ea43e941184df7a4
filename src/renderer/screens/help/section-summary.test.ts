import { describe, expect, it } from 'vitest';
import { SECTION_NAMES, type SectionName, type Sections } from '../../../shared/snapshot';
import { healthySnapshot, withSection } from '../../../../test/fixtures/snapshot-factory';
import { summarizeSection } from './section-summary';

const summary = <K extends SectionName>(name: K, patch: Partial<Sections[K]> = {}): string => {
  const snap = withSection(healthySnapshot(), name, patch);
  return summarizeSection(name, snap.sections[name] as Sections[K]);
};

describe('summarizeSection', () => {
  it('gives every section of a full snapshot a non-empty line', () => {
    const snap = healthySnapshot();
    for (const name of SECTION_NAMES) {
      const section = snap.sections[name];
      if (section === undefined) continue;
      const line = summarizeSection(name, section as Sections[typeof name]);
      expect(line.length, name).toBeGreaterThan(0);
      expect(line, name).not.toBe('Details below');
    }
  });

  it('names the fullest file system with its free space', () => {
    const line = summary('storage', {
      filesystems: [
        {
          mount: '/',
          device: '/dev/sda1',
          fsType: 'ext4',
          sizeBytes: 500 * 1024 ** 3,
          usedBytes: 480 * 1024 ** 3,
          availableBytes: 20 * 1024 ** 3,
          usePercent: 96,
        },
        {
          mount: '/boot',
          device: '/dev/sda2',
          fsType: 'ext4',
          sizeBytes: 1024 ** 3,
          usedBytes: 1024 ** 2,
          availableBytes: 1023 * 1024 ** 2,
          usePercent: 1,
        },
      ],
    });
    expect(line).toContain('/ 96% full, 20.0 GB free');
  });

  it('says which connectivity checks failed', () => {
    const line = summary('connectivity', {
      checks: [
        { kind: 'gateway', target: '192.168.1.1', status: 'ok', latencyMs: 1, detail: null },
        { kind: 'dns', target: 'example.com', status: 'failed', latencyMs: null, detail: 'timeout' },
      ],
    });
    expect(line).toBe('1 of 2 checks failed: example.com');
  });

  it('reads a missing gateway and the Wi-Fi name', () => {
    const line = summary('network', {
      defaultGateway: null,
      wifi: { ssid: 'Office', signalDbm: -60, qualityPercent: 80, channel: 36, frequencyMHz: 5180, security: 'WPA2' },
    });
    expect(line).toContain('Wi-Fi Office');
    expect(line).toContain('no gateway');
  });

  it('falls back instead of throwing on data it cannot read', () => {
    expect(summarizeSection('storage', { disks: [], filesystems: null } as unknown as Sections['storage'])).toBe(
      'Details below',
    );
  });
});
