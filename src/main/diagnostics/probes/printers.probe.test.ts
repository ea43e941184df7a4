import type { Systeminformation } from 'systeminformation';
import { describe, expect, it } from 'vitest';
import { printersSection } from '../../../shared/snapshot/sections';
import { fakeCommandRunner } from '../../../../test/fakes/command-runner.fake';
import { collectLive, fakeProbeContext } from '../../../../test/fakes/probe-context.fake';
import { foldPrinterName, printersProbe } from './printers.probe';

const printer = (p: Partial<Systeminformation.PrinterData>): Systeminformation.PrinterData => ({
  id: 0,
  name: '',
  model: '',
  uri: '',
  uuid: '',
  local: true,
  status: '',
  default: false,
  shared: false,
  ...p,
});

const LPSTAT_O = [
  'HP_LaserJet_Pro_M404-41       alice           102400   Mon 24 Nov 2025 09:12:01 AM CET',
  'HP_LaserJet_Pro_M404-42       bob              20480   Mon 24 Nov 2025 09:13:44 AM CET',
  'Office-Color-7               alice            51200   Mon 24 Nov 2025 09:20:10 AM CET',
  '',
].join('\n');

describe('printersProbe', () => {
  it('runs live on this machine and fits the schema', async () => {
    const { section, ms } = await collectLive(printersProbe);
    expect(printersSection.safeParse(section).error).toBeUndefined();
    expect(ms).toBeLessThan(printersProbe.budgetMs);
  });

  it('counts queued jobs per CUPS queue on Linux', async () => {
    const ctx = fakeProbeContext({
      platform: 'linux',
      commands: { 'lpstat -o': LPSTAT_O },
      // CUPS's own configuration (readable by root); the description is the name, the queue is the key.
      files: {
        '/etc/cups/printers.conf': [
          '<Printer HP_LaserJet_Pro_M404>',
          'Info HP LaserJet Pro M404 (2nd floor)',
          'State Idle',
          '</Printer>',
          '<Printer Brother_HL_L2350DW>',
          'Info Brother HL-L2350DW',
          'State Unknown',
          '</Printer>',
        ].join('\n'),
      },
    });
    expect(await printersProbe.collect(ctx)).toEqual({
      printers: [
        { name: 'HP LaserJet Pro M404 (2nd floor)', status: 'idle', isDefault: false, shared: null, queuedJobs: 2 },
        { name: 'Brother HL-L2350DW', status: null, isDefault: false, shared: null, queuedJobs: 0 },
      ],
    });
  });

  it('matches macOS display names to their queues', async () => {
    const ctx = fakeProbeContext({
      platform: 'darwin',
      commands: { 'lpstat -o': LPSTAT_O },
      si: {
        printer: async () => [
          printer({ name: 'Office Color', model: 'Office Color', status: 'idle', default: true, shared: true }),
          printer({ name: 'HP LaserJet Pro M404', status: 'idle' }),
        ],
      },
    });
    const { printers } = await printersProbe.collect(ctx);
    expect(printers.map((p) => [p.name, p.isDefault, p.shared, p.queuedJobs])).toEqual([
      ['Office Color', true, true, 1],
      ['HP LaserJet Pro M404', false, false, 2],
    ]);
  });

  it('reports unknown queues, not an error, when lpstat is missing or CUPS is down', async () => {
    const files = { '/etc/cups/printers.conf': '<Printer Office>\nState Idle\n</Printer>\n' };
    const missing = fakeProbeContext({ platform: 'linux', files });
    expect((await printersProbe.collect(missing)).printers[0]!.queuedJobs).toBeNull();

    const down = fakeProbeContext({
      platform: 'linux',
      commands: { 'lpstat -o': { exitCode: 1, stderr: 'lpstat: Unable to connect to server.' } },
      files,
    });
    expect((await printersProbe.collect(down)).printers[0]!.queuedJobs).toBeNull();
  });

  it('lists CUPS queues with lpstat on Linux when printers.conf is unreadable', async () => {
    const ctx = fakeProbeContext({
      platform: 'linux',
      commands: {
        'lpstat -lp':
          'printer Office is idle.  enabled since Mon 24 Nov 2025\n\tForm mounted:\nprinter Lab disabled since Mon\n',
        'lpstat -d': 'system default destination: Lab\n',
        'lpstat -o': '',
      },
    });
    expect(await printersProbe.collect(ctx)).toEqual({
      printers: [
        { name: 'Office', status: 'idle', isDefault: false, shared: null, queuedJobs: 0 },
        { name: 'Lab', status: 'disabled', isDefault: true, shared: null, queuedJobs: 0 },
      ],
    });
  });

  it('does not ask CUPS on Windows or when there is no printer', async () => {
    const run = fakeCommandRunner({ 'lpstat -o': LPSTAT_O });
    const windows = fakeProbeContext({
      platform: 'win32',
      run,
      si: { printer: async () => [printer({ name: 'Microsoft Print to PDF', status: 'Idle', default: true })] },
    });
    expect(await printersProbe.collect(windows)).toEqual({
      printers: [{ name: 'Microsoft Print to PDF', status: 'Idle', isDefault: true, shared: false, queuedJobs: null }],
    });
    const empty = fakeProbeContext({ platform: 'linux', run, files: { '/etc/cups/printers.conf': '' } });
    expect(await printersProbe.collect(empty)).toEqual({ printers: [] });
    expect(run.calls).toHaveLength(0);
  });

  it('caps the list and fills in a missing name', async () => {
    const ctx = fakeProbeContext({
      platform: 'win32',
      si: {
        printer: async () =>
          Array.from({ length: 70 }, (_, i) => printer({ name: '', model: i === 0 ? 'Queue>' : '' })),
      },
    });
    const section = await printersProbe.collect(ctx);
    expect(section.printers).toHaveLength(64);
    expect(section.printers.slice(0, 2).map((p) => p.name)).toEqual(['Queue', 'Printer']);
    expect(printersSection.safeParse(section).success).toBe(true);
  });

  it('folds names the way CUPS derives queue names', () => {
    expect(foldPrinterName('HP LaserJet Pro M404')).toBe(foldPrinterName('HP_LaserJet_Pro_M404'));
    expect(foldPrinterName('Office-Color')).toBe(foldPrinterName('Office Color'));
  });
});
