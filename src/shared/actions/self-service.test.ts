import { describe, expect, it } from 'vitest';
import { FINDING_CODES } from '../finding-codes';
import { actionByName, parseActionParams } from './catalog';
import {
  checkFixItLinks,
  describeFix,
  FINDING_FIXES,
  fixForFinding,
  fixItLinks,
  fixItSummary,
  fixItTarget,
  isSelfServiceAction,
  SELF_SERVICE_ACTION_NAMES,
  SELF_SERVICE_FIXES,
} from './self-service';

describe('self-service actions', () => {
  it.each(SELF_SERVICE_ACTION_NAMES)(
    '%s is a catalog fix whose fixed parameters the catalog accepts as they are',
    (name) => {
      const entry = actionByName(name);
      expect(entry, name).toBeDefined();
      // A fix the employee confirms: it changes something, and it is not one the catalog says always asks.
      expect(entry!.risk).toBe('changes');
      expect(entry!.consent).toBe('policy');
      const fix = SELF_SERVICE_FIXES[name];
      expect(fix.action).toBe(name);
      const parsed = parseActionParams(name, fix.params);
      expect(parsed.ok).toBe(true);
      // Every parameter is written out: nothing is left to a default that could change under the employee.
      if (parsed.ok) expect(parsed.value.params).toEqual(fix.params);
    },
  );

  it('leaves out what needs a technician: allow-list ids, ending a process, diagnostics with a target', () => {
    for (const name of ['service.restart', 'package.install', 'process.end', 'net.ping', 'logs.collect'])
      expect(isSelfServiceAction(name), name).toBe(false);
    expect(isSelfServiceAction('constructor')).toBe(false);
    expect(isSelfServiceAction('__proto__')).toBe(false);
  });

  it('binds findings to self-service actions only, and only findings that exist', () => {
    for (const [code, action] of Object.entries(FINDING_FIXES)) {
      expect(FINDING_CODES).toContain(code);
      expect(isSelfServiceAction(action!)).toBe(true);
    }
    expect(fixForFinding('disk.almost_full')).toBe('disk.clear-temp');
    expect(fixForFinding('network.dns_failing')).toBe('dns.flush-cache');
    expect(fixForFinding('network.no_gateway')).toBe('net.renew-dhcp');
    expect(fixForFinding('battery.worn')).toBeNull();
    expect(fixForFinding('toString')).toBeNull();
  });

  it('describes a fix in the catalog’s own words, with the fixed settings by their labels', () => {
    expect(describeFix('disk.clear-temp')).toEqual({
      action: 'disk.clear-temp',
      title: 'Clear temporary files',
      description: actionByName('disk.clear-temp')!.description,
      risk: 'changes',
      settings: [{ label: 'Older than (days)', value: '7' }],
    });
    expect(describeFix('printing.restart-spooler').settings).toEqual([
      { label: 'Clear stuck print jobs', value: 'yes' },
    ]);
    expect(describeFix('dns.flush-cache').settings).toEqual([]);
  });

  it('summarises a result from its fields', () => {
    expect(fixItSummary('disk.clear-temp', true, { bytesFreed: 3 * 1024 * 1024, filesDeleted: 12, skipped: 0 })).toBe(
      'Freed 3.0 MB (12 files).',
    );
    expect(fixItSummary('disk.clear-temp', true, { bytesFreed: 0, filesDeleted: 0, skipped: 2 })).toBe(
      'No old temporary files to delete. 2 files in use or not yours were left.',
    );
    expect(fixItSummary('printing.restart-spooler', true, { jobsDeleted: 1 })).toBe(
      'The print service restarted; 1 stuck job deleted.',
    );
    expect(fixItSummary('dns.flush-cache', false, {})).toBe('It did not work.');
  });
});

describe('Fix-it links in articles', () => {
  it('reads the action from a link target, in any case, and nothing from other targets', () => {
    expect(fixItTarget('deskside-fix:printing.restart-spooler')).toBe('printing.restart-spooler');
    expect(fixItTarget(' DESKSIDE-FIX:dns.flush-cache ')).toBe('dns.flush-cache');
    expect(fixItTarget('https://example.com/deskside-fix:x')).toBeNull();
    expect(fixItTarget('mailto:it@example.com')).toBeNull();
  });

  it('finds every Fix-it link of a text, each once', () => {
    const body = [
      'If printing hangs, [Restart the print spooler](deskside-fix:printing.restart-spooler).',
      'Still stuck? [Flush DNS](Deskside-Fix:dns.flush-cache) or [again](deskside-fix:printing.restart-spooler)',
      '[ref]: deskside-fix:disk.clear-temp',
      'A normal [link](https://intranet.example.com).',
    ].join('\n');
    expect(fixItLinks(body)).toEqual(['printing.restart-spooler', 'dns.flush-cache', 'disk.clear-temp']);
    expect(fixItLinks('No buttons here.')).toEqual([]);
  });

  it('accepts self-service links and refuses the rest, naming the action', () => {
    expect(checkFixItLinks('[Restart the print spooler](deskside-fix:printing.restart-spooler)')).toBeNull();
    expect(checkFixItLinks('plain text')).toBeNull();
    expect(checkFixItLinks('[Go](deskside-fix:printing.restart-everything)')).toBe(
      'Fix-it link names an unknown action "printing.restart-everything"',
    );
    expect(checkFixItLinks('[End it](deskside-fix:process.end)')).toMatch(
      /^Fix-it link names "process.end", which employees may not run themselves \(allowed: disk.clear-temp, /,
    );
    expect(checkFixItLinks('[Empty](deskside-fix:)')).toMatch(/must name an action/);
  });
});
