import type { z } from 'zod';
import { snapshotSchema } from './snapshot';

/*
 * A compiled fast path for snapshotSchema, built from the zod schema itself so the schema stays the
 * single source of truth. It answers one question in a single allocation-free walk: is this input
 * valid AND already canonical, i.e. does `JSON.stringify(input)` equal
 * `JSON.stringify(snapshotSchema.parse(input))` (every object has exactly its known keys, in schema
 * order; records keep input order)? That is what the agent sends, and then the server can skip zod's
 * output copy. The answer is one-sided: `true` is only given where zod accepts with that output;
 * anything else (invalid, unknown or reordered keys, a string over its limit in UTF-16 units that zod
 * may still accept in code points, `__proto__`, exotic objects) is `false`, and the caller asks zod,
 * which decides and words the error. Schema constructs it does not model fail at compile time.
 */

type Check = (value: unknown) => boolean;

interface Field {
  key: string;
  optional: boolean;
  check: Check;
}

interface Def {
  type: string;
  checks?: {
    _zod: { def: { check: string; value?: number; inclusive?: boolean; maximum?: number; format?: string } };
  }[];
  [key: string]: unknown;
}

const defOf = (schema: z.core.$ZodType): Def => schema._zod.def as unknown as Def;

function unsupported(what: string): never {
  throw new Error(`compileSnapshotValidator: unsupported schema construct ${what}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function compileString(def: Def): Check {
  let max = Infinity;
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    // Longer in UTF-16 units may still fit in code points (zod's rule); zod decides those.
    if (d.check === 'max_length' && typeof d.maximum === 'number') max = Math.min(max, d.maximum);
    else unsupported(`string check ${d.check}`);
  }
  const pattern = def.format === undefined ? null : (def.pattern as RegExp | undefined);
  if (def.format !== undefined && !(pattern instanceof RegExp)) unsupported(`string format ${String(def.format)}`);
  if (def.coerce) unsupported('coerced string');
  if (!pattern) return (v) => typeof v === 'string' && v.length <= max;
  return (v) => {
    if (typeof v !== 'string' || v.length > max) return false;
    pattern.lastIndex = 0;
    return pattern.test(v);
  };
}

function compileNumber(def: Def): Check {
  let min = -Infinity;
  let max = Infinity;
  let minInclusive = true;
  let maxInclusive = true;
  let int = false;
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'greater_than' && typeof d.value === 'number') {
      if (d.value > min || (d.value === min && !d.inclusive)) [min, minInclusive] = [d.value, d.inclusive === true];
    } else if (d.check === 'less_than' && typeof d.value === 'number') {
      if (d.value < max || (d.value === max && !d.inclusive)) [max, maxInclusive] = [d.value, d.inclusive === true];
    } else if (d.check === 'number_format' && d.format === 'safeint') int = true;
    else unsupported(`number check ${d.check} ${d.format ?? ''}`);
  }
  if (def.coerce) unsupported('coerced number');
  return (v) =>
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (!int || Number.isSafeInteger(v)) &&
    (minInclusive ? v >= min : v > min) &&
    (maxInclusive ? v <= max : v < max);
}

function noChecks(def: Def): void {
  if (def.checks?.length) unsupported(`checks on ${def.type}`);
}

function compileObject(def: Def): Check {
  noChecks(def);
  if (def.catchall !== undefined) unsupported('object catchall');
  const shape = def.shape as Record<string, z.core.$ZodType>;
  const fields: Field[] = Object.keys(shape).map((key) => {
    if (key === '__proto__') unsupported('__proto__ key');
    const schema = shape[key] as z.core.$ZodType;
    const inner = defOf(schema);
    const optional = inner.type === 'optional';
    if (optional) noChecks(inner);
    return { key, optional, check: compile(optional ? (inner.innerType as z.core.$ZodType) : schema) };
  });
  const n = fields.length;
  return (v) => {
    if (!isPlainObject(v)) return false;
    // The input's keys, in order, must be the schema's keys in schema order with only absent optionals
    // skipped: then zod's output (known keys, schema order) serializes exactly like the input.
    let i = 0;
    for (const key in v) {
      while (i < n && (fields[i] as Field).key !== key) {
        if (!(fields[i] as Field).optional) return false;
        i++;
      }
      if (i === n) return false; // unknown or out-of-order key
      const f = fields[i] as Field;
      const value = v[key];
      // An explicit undefined is left out by JSON.stringify and by zod alike, but leave it to zod.
      if (value === undefined || !Object.prototype.hasOwnProperty.call(v, key) || !f.check(value)) return false;
      i++;
    }
    for (; i < n; i++) if (!(fields[i] as Field).optional) return false;
    return true;
  };
}

function compileArray(def: Def): Check {
  let max = Infinity;
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'max_length' && typeof d.maximum === 'number') max = Math.min(max, d.maximum);
    else unsupported(`array check ${d.check}`);
  }
  const element = compile(def.element as z.core.$ZodType);
  return (v) => {
    if (!Array.isArray(v) || v.length > max) return false;
    for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
    return true;
  };
}

function compileTuple(def: Def): Check {
  noChecks(def);
  if (def.rest) unsupported('tuple rest');
  const items = (def.items as z.core.$ZodType[]).map((item) => {
    if (defOf(item).type === 'optional') unsupported('optional tuple item');
    return compile(item);
  });
  return (v) => Array.isArray(v) && v.length === items.length && items.every((check, i) => check(v[i]));
}

/** z.partialRecord(z.enum([...]), value): a subset of the enum's keys, any order (zod keeps input order). */
function compileRecord(def: Def): Check {
  noChecks(def);
  const keyDef = defOf(def.keyType as z.core.$ZodType);
  if (!def.partial || keyDef.type !== 'enum' || keyDef.checks?.length || def.mode === 'loose')
    unsupported('record other than partialRecord(enum, …)');
  const keys = new Set<unknown>((def.keyType as z.core.$ZodType)._zod.values);
  const value = compile(def.valueType as z.core.$ZodType);
  return (v) => {
    if (!isPlainObject(v)) return false;
    for (const key of Reflect.ownKeys(v)) {
      // zod skips __proto__ and non-enumerable keys and rejects symbols: all left to zod.
      if (
        typeof key !== 'string' ||
        key === '__proto__' ||
        !keys.has(key) ||
        !Object.prototype.propertyIsEnumerable.call(v, key)
      )
        return false;
      const item = v[key];
      if (item === undefined || !value(item)) return false;
    }
    return true;
  };
}

function compileSet(def: Def, schema: z.core.$ZodType): Check {
  noChecks(def);
  const values = schema._zod.values;
  if (
    !values ||
    [...values].some(
      (x) => typeof x !== 'string' && !(typeof x === 'number' && Number.isFinite(x)) && typeof x !== 'boolean',
    )
  )
    unsupported(`${def.type} values`);
  return (v) => values.has(v as never);
}

function compile(schema: z.core.$ZodType): Check {
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return compileObject(def);
    case 'string':
      return compileString(def);
    case 'number':
      return compileNumber(def);
    case 'boolean':
      noChecks(def);
      return (v) => typeof v === 'boolean';
    case 'enum':
    case 'literal':
      return compileSet(def, schema);
    case 'nullable': {
      noChecks(def);
      const inner = compile(def.innerType as z.core.$ZodType);
      return (v) => v === null || inner(v);
    }
    case 'array':
      return compileArray(def);
    case 'tuple':
      return compileTuple(def);
    case 'record':
      return compileRecord(def);
    default:
      return unsupported(def.type);
  }
}

/** Compiles a zod schema into a "valid and already canonical" check; throws on constructs it does not model. */
export function compileCanonicalCheck(schema: z.core.$ZodType): (value: unknown) => boolean {
  return compile(schema);
}

let compiled: Check | undefined;

/**
 * True only when `input` is a valid snapshot that is already canonical, so that
 * `JSON.stringify(input) === JSON.stringify(snapshotSchema.parse(input))`. False means "ask snapshotSchema".
 */
export function isCanonicalSnapshot(input: unknown): boolean {
  compiled ??= compile(snapshotSchema);
  return compiled(input);
}
