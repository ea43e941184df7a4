import { describe, expect, it } from 'vitest';
import { commandActionDefinition, parseActionParams } from './catalog';
import { checkScriptArgs, isScriptActionName } from './script-info';
import { scriptDefinitionSchema, type SignedScript } from './scripts';

/*
 * IT scripts in the catalog: a script command's parameters carry the script (checked like any catalog
 * parameters, its slug bound to the action name) and the values, checked against its declarations.
 * Signatures over them: test/actions/it-command-signing.test.ts.
 */

const script: SignedScript = {
  slug: 'map-drive',
  title: 'Map the team drive',
  description: 'Maps the team share as a drive.',
  risk: 'changes',
  timeoutSeconds: 120,
  platform: 'linux',
  shell: 'bash',
  body: 'gio mount "smb://files/$1"\n',
  parameters: [{ name: 'share', type: 'string', required: true, maxLength: 32 }],
};

describe('IT scripts in the catalog', () => {
  it('parses a script command, its entry built from the script it carries', () => {
    const params = { script, args: { share: 'finance; rm -rf ~' } };
    expect(parseActionParams('script.map-drive', params)).toEqual({
      ok: true,
      value: { name: 'script.map-drive', params },
    });
    expect(commandActionDefinition('script.map-drive', params)).toMatchObject({
      title: 'Map the team drive',
      risk: 'changes',
      consent: 'policy',
      timeoutMs: 120_000,
      platforms: ['linux'],
    });
    expect(commandActionDefinition('script.other', params)).toBeUndefined();
    expect(isScriptActionName('script.map-drive')).toBe(true);
    for (const name of ['script.', 'script.Map', 'script.-x', 'script.a/b', 'scripts.x'])
      expect(isScriptActionName(name), name).toBe(false);
  });

  it.each([
    [
      'another script’s slug',
      { script: { ...script, slug: 'other' }, args: { share: 'a' } },
      /^script\.slug: must be the slug/,
    ],
    ['PowerShell for Linux', { script: { ...script, shell: 'powershell' }, args: { share: 'a' } }, /^script\.shell: /],
    ['a missing value', { script, args: {} }, /share: is required/],
    ['a value too long', { script, args: { share: 'a'.repeat(33) } }, /share: must be at most 32/],
    ['a NUL in a value', { script, args: { share: 'a\u0000' } }, /share: must not contain NUL/],
    [
      'a body with a bidi override',
      { script: { ...script, body: 'echo \u2066x\u2069' }, args: { share: 'a' } },
      /^script\.body: /,
    ],
    [
      'a body with an escape character',
      { script: { ...script, body: 'echo \u001b[2J' }, args: { share: 'a' } },
      /^script\.body: /,
    ],
    ['an extra key', { script, args: { share: 'a' }, shell: 'sh -c id' }, /shell: is not a parameter/],
  ])('refuses %s', (_name, params, message) => {
    const parsed = parseActionParams('script.map-drive', params);
    expect(parsed).toMatchObject({ ok: false, error: { code: 'bad-params' } });
    if (!parsed.ok) expect(parsed.error.message).toMatch(message);
  });

  it('checks values against their declarations, the same on every side', () => {
    const params = [
      { name: 'n', type: 'number' as const, required: true },
      { name: 'b', type: 'boolean' as const, required: false },
      { name: 's', type: 'string' as const, required: false, pattern: '[a-z]+' },
    ];
    expect(checkScriptArgs(params, { n: 1.5, b: false, s: 'abc' })).toBeNull();
    expect(checkScriptArgs(params, { n: '1' })).toBe('n: must be a number');
    expect(checkScriptArgs(params, { n: 1, s: 'abc\nid' })).toBe('s: must match the pattern [a-z]+');
    // The pattern matches the whole value: a prefix is not enough.
    expect(checkScriptArgs(params, { n: 1, s: 'abc;id' })).toBe('s: must match the pattern [a-z]+');
    expect(checkScriptArgs(params, { n: 1, s: '-x' }, 'win32')).toMatch(/must not start with "-" for a PowerShell/);
    expect(checkScriptArgs(params, { n: 1, s: 'x' }, 'win32')).toBeNull();
  });

  it('validates what an admin saves', () => {
    const base = { title: 'T', description: 'D', risk: 'reads', bodies: { darwin: { shell: 'zsh', body: 'echo' } } };
    expect(scriptDefinitionSchema.parse(base)).toMatchObject({ timeoutSeconds: 300, parameters: [] });
    expect(
      scriptDefinitionSchema.safeParse({ ...base, bodies: { darwin: { shell: 'bash', body: 'x' } } }).success,
    ).toBe(false);
    expect(scriptDefinitionSchema.safeParse({ ...base, timeoutSeconds: 3601 }).success).toBe(false);
    expect(
      scriptDefinitionSchema.safeParse({ ...base, parameters: [{ name: 'flag', type: 'boolean', pattern: 'x' }] })
        .success,
    ).toBe(false);
  });
});
