/*
 * The "valid and already canonical" check of a snapshot document, compiled from a plain description of
 * its schema (a Shape) so it runs without zod. compiled.ts describes the zod schemas (the one
 * declaration); section-shapes.generated.ts holds the sections' descriptions for the agent and the CLI,
 * which check each probe's output with it and load zod only when the check fails
 * (src/main/diagnostics/collector.ts). The check answers one question in a single allocation-free walk:
 * would `JSON.stringify(schema.parse(input))` equal `JSON.stringify(input)` (every object has exactly its
 * known keys, in schema order; records keep input order)? `true` only where zod accepts with that output;
 * anything else (invalid, unknown or reordered keys, a string over its limit in UTF-16 units that zod may
 * still accept in code points, `__proto__`, exotic objects) is `false`, and the caller asks zod, which
 * decides and words the error.
 */

export type Shape =
  | { t: 'object'; fields: { key: string; optional: boolean; shape: Shape }[] }
  /** max in UTF-16 units (null: none); pattern: a format's regular expression. */
  | { t: 'string'; max: number | null; pattern: { source: string; flags: string } | null }
  | { t: 'number'; min: number | null; minInclusive: boolean; max: number | null; maxInclusive: boolean; int: boolean }
  | { t: 'boolean' }
  /** An enum or literal: one of these values. */
  | { t: 'set'; values: (string | number | boolean)[] }
  | { t: 'nullable'; inner: Shape }
  | { t: 'array'; max: number | null; element: Shape }
  | { t: 'tuple'; items: Shape[] }
  /** z.partialRecord(z.enum(keys), value): a subset of the keys, any order. */
  | { t: 'record'; keys: string[]; value: Shape };

export type Check = (value: unknown) => boolean;

interface Field {
  key: string;
  optional: boolean;
  check: Check;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function compileString(shape: Extract<Shape, { t: 'string' }>): Check {
  const max = shape.max ?? Infinity;
  if (!shape.pattern) return (v) => typeof v === 'string' && v.length <= max;
  const pattern = new RegExp(shape.pattern.source, shape.pattern.flags);
  return (v) => {
    if (typeof v !== 'string' || v.length > max) return false;
    pattern.lastIndex = 0;
    return pattern.test(v);
  };
}

function compileNumber(shape: Extract<Shape, { t: 'number' }>): Check {
  const { minInclusive, maxInclusive, int } = shape;
  const min = shape.min ?? -Infinity;
  const max = shape.max ?? Infinity;
  return (v) =>
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (!int || Number.isSafeInteger(v)) &&
    (minInclusive ? v >= min : v > min) &&
    (maxInclusive ? v <= max : v < max);
}

function compileObject(shape: Extract<Shape, { t: 'object' }>): Check {
  const fields: Field[] = shape.fields.map((f) => ({ key: f.key, optional: f.optional, check: compileShape(f.shape) }));
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

function compileArray(shape: Extract<Shape, { t: 'array' }>): Check {
  const max = shape.max ?? Infinity;
  const element = compileShape(shape.element);
  return (v) => {
    if (!Array.isArray(v) || v.length > max) return false;
    for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
    return true;
  };
}

function compileRecord(shape: Extract<Shape, { t: 'record' }>): Check {
  const keys = new Set<unknown>(shape.keys);
  const value = compileShape(shape.value);
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

/** The check for one described schema. */
export function compileShape(shape: Shape): Check {
  switch (shape.t) {
    case 'object':
      return compileObject(shape);
    case 'string':
      return compileString(shape);
    case 'number':
      return compileNumber(shape);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'set': {
      const values = new Set<unknown>(shape.values);
      return (v) => values.has(v);
    }
    case 'nullable': {
      const inner = compileShape(shape.inner);
      return (v) => v === null || inner(v);
    }
    case 'array':
      return compileArray(shape);
    case 'tuple': {
      const items = shape.items.map(compileShape);
      return (v) => Array.isArray(v) && v.length === items.length && items.every((check, i) => check(v[i]));
    }
    case 'record':
      return compileRecord(shape);
  }
}
