import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ACTION_NAMES, ACTIONS, SERVER_RESOLVED_PARAMS, type ActionName } from './catalog';
import { ACTION_INFO, actionInfo, type ActionField } from './catalog-info';

/*
 * The console's zod-free catalog (catalog-info.ts) against the schemas (catalog.ts): the same actions in
 * the same order with the same words, risk, consent and platforms; the same parameter keys; and each
 * field's bounds, options, defaults and requiredness as the schema itself answers them, so the form
 * can neither offer what the server refuses nor refuse what it takes.
 */

/** A value of the field that the schema should take. */
function validValue(field: ActionField): unknown {
  switch (field.kind) {
    case 'host':
      return '127.0.0.1';
    case 'port':
    case 'number':
      return field.min;
    case 'text':
      return field.name === 'path' ? '/health' : 'firefox';
    case 'allow-list':
      return 'firefox';
    case 'select':
      return field.multiple ? [field.options![0]] : field.options![0];
    case 'boolean':
      return false;
  }
}

/** The required fields only, each with a valid value. */
const minimal = (fields: readonly ActionField[]) =>
  Object.fromEntries(fields.filter((f) => f.required).map((f) => [f.name, validValue(f)]));

const schemaOf = (name: string) => ACTIONS[name as ActionName].params as z.ZodObject;

describe('catalog-info', () => {
  it('lists the same actions in the same order, with the same words, risk, consent and platforms', () => {
    expect(ACTION_INFO.map((a) => a.name)).toEqual(ACTION_NAMES);
    for (const info of ACTION_INFO) {
      const action = ACTIONS[info.name as ActionName];
      expect({ ...info, group: undefined, fields: undefined }).toEqual({
        name: action.name,
        title: action.title,
        description: action.description,
        risk: action.risk,
        consent: action.consent,
        platforms: [...action.platforms],
        group: undefined,
        fields: undefined,
      });
      expect(info.group).toBe(action.risk === 'reads' ? 'diagnostics' : 'fixes');
    }
    expect(actionInfo('net.ping')?.title).toBe('Ping');
    expect(actionInfo('shell.run')).toBeUndefined();
  });

  it.each(ACTION_INFO.map((a) => [a.name, a] as const))('%s: the same parameter keys', (name, info) => {
    // The server fills the allow-list's resolved names in; the form never offers them.
    const resolved = SERVER_RESOLVED_PARAMS[name] ?? [];
    const keys = Object.keys(schemaOf(name).shape).filter((key) => !resolved.includes(key));
    expect(info.fields.map((f) => f.name).sort()).toEqual(keys.sort());
  });

  it.each(ACTION_INFO.map((a) => [a.name, a] as const))(
    '%s: requiredness, defaults, bounds and options as the schema answers them',
    (name, info) => {
      const schema = schemaOf(name);
      const base = minimal(info.fields);
      // The required fields alone pass, and the defaults applied are the ones the info names.
      const parsed = schema.safeParse(base);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      for (const field of info.fields) {
        if (!field.required) expect(parsed.data?.[field.name], field.name).toEqual(field.default);
        // Leaving out a required field is refused.
        if (field.required) {
          const { [field.name]: _left, ...without } = base;
          expect(schema.safeParse(without).success, field.name).toBe(false);
        }
        const withValue = (value: unknown) => schema.safeParse({ ...base, [field.name]: value }).success;
        if (field.min !== undefined) {
          expect(withValue(field.min), `${field.name} min`).toBe(true);
          expect(withValue(field.min - 1), `${field.name} below min`).toBe(false);
          expect(withValue(field.min + 0.5), `${field.name} whole numbers`).toBe(false);
        }
        if (field.max !== undefined) {
          // logs.collect's window must end after it starts: its `until` is checked against a later `since`.
          const extra = field.name === 'untilMinutes' ? { sinceMinutes: field.max } : {};
          const at = (value: number) => schema.safeParse({ ...base, ...extra, [field.name]: value }).success;
          expect(at(field.max - (field.name === 'untilMinutes' ? 1 : 0)), `${field.name} max`).toBe(true);
          expect(at(field.max + 1), `${field.name} above max`).toBe(false);
        }
        if (field.kind === 'number' || field.kind === 'port') {
          expect(field.min, `${field.name} has bounds`).toBeDefined();
          expect(field.max, `${field.name} has bounds`).toBeDefined();
        }
        if (field.kind === 'select') {
          for (const option of field.options!)
            expect(withValue(field.multiple ? [option] : option), `${field.name}=${option}`).toBe(true);
          expect(withValue(field.multiple ? ['nope'] : 'nope'), `${field.name} other`).toBe(false);
        }
        if (field.kind === 'boolean') {
          expect(withValue(true)).toBe(true);
          expect(withValue('yes')).toBe(false);
        }
        if (field.kind === 'host') expect(withValue('-oProxyCommand=x')).toBe(false);
        if (field.kind === 'text' || field.kind === 'allow-list') expect(withValue('')).toBe(false);
        if (field.kind === 'allow-list') expect(withValue('-rf')).toBe(false);
      }
    },
  );
});
