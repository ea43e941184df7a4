import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { serviceSchema } from '../../../shared/snapshot/sections';
import { parseLaunchctlList } from './launchctl.parser';

const fixture = readFileSync(new URL('../../../../test/fixtures/macos/launchctl-list.txt', import.meta.url), 'utf8');

describe('parseLaunchctlList', () => {
  const failed = parseLaunchctlList(fixture);

  it('lists stopped jobs whose last exit was not clean', () => {
    expect(failed).toEqual([
      { name: 'com.contoso.backup-agent', state: 'exited 78', description: null },
      { name: 'com.microsoft.update.agent', state: 'exited 1', description: null },
      { name: 'com.adobe.AdobeCreativeCloud', state: 'killed by signal 6', description: null },
      { name: 'application.org.mozilla.firefox.52139164.52139301', state: 'exited 2', description: null },
    ]);
    expect(() => z.array(serviceSchema).parse(failed)).not.toThrow();
  });

  it('skips Apple agents that launchd reaped with SIGKILL or SIGTERM, but not other signals', () => {
    expect(failed.map((s) => s.name)).not.toContain('com.apple.quicklook.ThumbnailsAgent');
    expect(parseLaunchctlList('-\t-11\tcom.apple.cloudd\n-\t-9\tcom.contoso.agent\n')).toEqual([
      { name: 'com.apple.cloudd', state: 'killed by signal 11', description: null },
      { name: 'com.contoso.agent', state: 'killed by signal 9', description: null },
    ]);
  });

  it('skips running jobs even when their previous run failed', () => {
    expect(failed.map((s) => s.name)).not.toContain('com.apple.Dock.agent');
  });

  it('ignores the header, blank and malformed lines, and accepts CRLF or spaces', () => {
    const text = 'PID\tStatus\tLabel\r\n\r\n-\tx\tbad.status\r\n-\t5\r\n-  3  com.example.spaced\r\n';
    expect(parseLaunchctlList(text)).toEqual([{ name: 'com.example.spaced', state: 'exited 3', description: null }]);
  });

  it('caps the list at 100', () => {
    const text = Array.from({ length: 150 }, (_, i) => `-\t1\tcom.example.job${i}`).join('\n');
    expect(parseLaunchctlList(text)).toHaveLength(100);
  });
});
