import type { z } from 'zod';
import { compileShape, type Check, type Shape } from './canonical-check';
import { snapshotSchema } from './snapshot';

/*
 * A compiled fast path for snapshotSchema, built from the zod schema itself so the schema stays the
 * single source of truth: `describeSchema` turns a zod schema into a plain Shape (canonical-check.ts
 * compiles it and says what the check answers). The server asks `isCanonicalSnapshot` before zod, so a
 * snapshot the agent sent in canonical form skips zod's output copy. Schema constructs the Shape does not
 * model fail here, when the schema is described.
 */

interface Def {
  type: string;
  checks?: {
    _zod: { def: { check: string; value?: number; inclusive?: boolean; maximum?: number; format?: string } };
  }[];
  [key: string]: unknown;
}

const defOf = (schema: z.core.$ZodType): Def => schema._zod.def as unknown as Def;

function unsupported(what: string): never {
  throw new Error(`describeSchema: unsupported schema construct ${what}`);
}

function noChecks(def: Def): void {
  if (def.checks?.length) unsupported(`checks on ${def.type}`);
}

const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);

function maxLength(def: Def, what: string): number | null {
  let max = Infinity;
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    // Longer in UTF-16 units may still fit in code points (zod's rule); zod decides those.
    if (d.check === 'max_length' && typeof d.maximum === 'number') max = Math.min(max, d.maximum);
    else unsupported(`${what} check ${d.check}`);
  }
  return finite(max);
}

function describeString(def: Def): Shape {
  const max = maxLength(def, 'string');
  const pattern = def.format === undefined ? null : (def.pattern as RegExp | undefined);
  if (def.format !== undefined && !(pattern instanceof RegExp)) unsupported(`string format ${String(def.format)}`);
  if (def.coerce) unsupported('coerced string');
  return { t: 'string', max, pattern: pattern ? { source: pattern.source, flags: pattern.flags } : null };
}

function describeNumber(def: Def): Shape {
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
  return { t: 'number', min: finite(min), minInclusive, max: finite(max), maxInclusive, int };
}

function describeObject(def: Def): Shape {
  noChecks(def);
  if (def.catchall !== undefined) unsupported('object catchall');
  const shape = def.shape as Record<string, z.core.$ZodType>;
  const fields = Object.keys(shape).map((key) => {
    if (key === '__proto__') unsupported('__proto__ key');
    const schema = shape[key] as z.core.$ZodType;
    const inner = defOf(schema);
    const optional = inner.type === 'optional';
    if (optional) noChecks(inner);
    return { key, optional, shape: describeSchema(optional ? (inner.innerType as z.core.$ZodType) : schema) };
  });
  return { t: 'object', fields };
}

function describeTuple(def: Def): Shape {
  noChecks(def);
  if (def.rest) unsupported('tuple rest');
  const items = (def.items as z.core.$ZodType[]).map((item) => {
    if (defOf(item).type === 'optional') unsupported('optional tuple item');
    return describeSchema(item);
  });
  return { t: 'tuple', items };
}

/** z.partialRecord(z.enum([...]), value): a subset of the enum's keys, any order (zod keeps input order). */
function describeRecord(def: Def): Shape {
  noChecks(def);
  const keyDef = defOf(def.keyType as z.core.$ZodType);
  if (!def.partial || keyDef.type !== 'enum' || keyDef.checks?.length || def.mode === 'loose')
    unsupported('record other than partialRecord(enum, …)');
  const keys = [...((def.keyType as z.core.$ZodType)._zod.values ?? [])];
  if (keys.some((k) => typeof k !== 'string')) unsupported('record keys other than strings');
  return { t: 'record', keys: keys as string[], value: describeSchema(def.valueType as z.core.$ZodType) };
}

function describeSet(def: Def, schema: z.core.$ZodType): Shape {
  noChecks(def);
  const values = schema._zod.values;
  if (
    !values ||
    [...values].some(
      (x) => typeof x !== 'string' && !(typeof x === 'number' && Number.isFinite(x)) && typeof x !== 'boolean',
    )
  )
    unsupported(`${def.type} values`);
  return { t: 'set', values: [...values] as (string | number | boolean)[] };
}

/** A plain description of a zod schema, for compileShape; throws on constructs it does not model. */
export function describeSchema(schema: z.core.$ZodType): Shape {
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return describeObject(def);
    case 'string':
      return describeString(def);
    case 'number':
      return describeNumber(def);
    case 'boolean':
      noChecks(def);
      return { t: 'boolean' };
    case 'enum':
    case 'literal':
      return describeSet(def, schema);
    case 'nullable':
      noChecks(def);
      return { t: 'nullable', inner: describeSchema(def.innerType as z.core.$ZodType) };
    case 'array':
      return { t: 'array', max: maxLength(def, 'array'), element: describeSchema(def.element as z.core.$ZodType) };
    case 'tuple':
      return describeTuple(def);
    case 'record':
      return describeRecord(def);
    default:
      return unsupported(def.type);
  }
}

/** Compiles a zod schema into a "valid and already canonical" check; throws on constructs it does not model. */
export function compileCanonicalCheck(schema: z.core.$ZodType): Check {
  return compileShape(describeSchema(schema));
}

let compiled: Check | undefined;

/**
 * True only when `input` is a valid snapshot that is already canonical, so that
 * `JSON.stringify(input) === JSON.stringify(snapshotSchema.parse(input))`. False means "ask snapshotSchema".
 */
export function isCanonicalSnapshot(input: unknown): boolean {
  compiled ??= compileCanonicalCheck(snapshotSchema);
  return compiled(input);
}
