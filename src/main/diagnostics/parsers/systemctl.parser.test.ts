import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { serviceSchema } from '../../../shared/snapshot/sections';
import { parseSystemctlUnits } from './systemctl.parser';

const read = (name: string) =>
  readFileSync(new URL(`../../../../test/fixtures/linux/${name}`, import.meta.url), 'utf8');
const enabled = read('systemctl-list-unit-files.txt');

describe('parseSystemctlUnits', () => {
  const result = parseSystemctlUnits(read('systemctl-list-units.txt'), enabled);

  it('lists failed units with their description', () => {
    expect(result.failed).toEqual([
      { name: 'bluetooth.service', state: 'failed', description: 'Bluetooth service' },
      {
        name: 'vboxadd.service',
        state: 'failed',
        description: 'VirtualBox Guest Additions – Kernel-Module für „vboxguest“',
      },
    ]);
  });

  it('lists enabled units that are inactive, not disabled or activating ones', () => {
    expect(result.stoppedAutomatic).toEqual([
      { name: 'cups.service', state: 'inactive (dead)', description: 'CUPS Scheduler' },
      { name: 'snapd.service', state: 'inactive (dead)', description: 'Snap Daemon' },
      { name: 'unattended-upgrades.service', state: 'inactive (dead)', description: 'Unattended Upgrades Shutdown' },
    ]);
    expect(() => z.array(serviceSchema).parse([...result.failed, ...result.stoppedAutomatic])).not.toThrow();
  });

  it('reads the same answer from output with the "●" column and a JOB column', () => {
    expect(parseSystemctlUnits(read('systemctl-list-units-glyph.txt'), enabled)).toEqual(result);
  });

  it('accepts the "*" marker systemctl prints outside UTF-8 locales', () => {
    const units = '* bluetooth.service loaded failed failed Bluetooth service\n';
    expect(parseSystemctlUnits(units, '').failed).toEqual([result.failed[0]]);
  });

  it('ignores blank and malformed lines and CRLF endings', () => {
    const units =
      '\r\nnonsense\r\nbluetooth.service loaded failed failed Bluetooth service\r\n0 loaded units listed.\r\n';
    expect(parseSystemctlUnits(units, '\r\n').failed).toEqual([result.failed[0]]);
    expect(parseSystemctlUnits('', '')).toEqual({ failed: [], stoppedAutomatic: [] });
  });

  it('caps each list at 100', () => {
    const units = Array.from({ length: 150 }, (_, i) => `u${i}.service loaded failed failed Unit ${i}`).join('\n');
    expect(parseSystemctlUnits(units, '').failed).toHaveLength(100);
  });
});
