import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { packageSchema } from '../../../shared/snapshot/sections';
import { RPM_COMMAND, parseRpmQuery } from './rpm.parser';

const fixture = readFileSync(new URL('../../../../test/fixtures/linux/rpm-qa.txt', import.meta.url), 'utf8');

describe('parseRpmQuery', () => {
  const packages = parseRpmQuery(fixture);

  it('reads name, version-release and vendor', () => {
    expect(packages[0]).toEqual({ name: 'bash', version: '5.2.26-4.fc40', source: 'rpm', publisher: 'Fedora Project' });
    expect(packages.find((p) => p.name === 'code')?.publisher).toBe('Microsoft Corporation');
  });

  it('skips gpg-pubkey entries and maps the "(none)" vendor to null', () => {
    expect(packages.map((p) => p.name)).not.toContain('gpg-pubkey');
    expect(packages.find((p) => p.name === 'contoso-agent')?.publisher).toBeNull();
  });

  it('keeps parallel kernel versions but lists multilib duplicates once', () => {
    expect(packages.filter((p) => p.name === 'kernel-core').map((p) => p.version)).toEqual([
      '6.11.8-200.fc40',
      '6.11.7-200.fc40',
    ]);
    expect(packages.filter((p) => p.name === 'glibc')).toHaveLength(1);
    expect(() => z.array(packageSchema).parse(packages)).not.toThrow();
  });

  it('ignores blank and malformed lines', () => {
    expect(parseRpmQuery('\nnot tab separated\n\t1.0\tnobody\nok\t1-1\t(none)\n')).toEqual([
      { name: 'ok', version: '1-1', source: 'rpm', publisher: null },
    ]);
  });

  it('asks rpm for exactly the tab-separated format it parses', () => {
    expect(RPM_COMMAND).toEqual(['rpm', ['-qa', '--queryformat', '%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{VENDOR}\\n']]);
  });
});
