/*
 * Hostile values for the fuzz suite, and plausible values built from an OpenAPI (JSON Schema) node,
 * so a request carries one hostile field among otherwise valid ones and gets as far as it can.
 */

/** A JSON Schema node as the OpenAPI document prints it (the parts the fuzz suite reads). */
export interface SchemaNode {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  minLength?: number;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  default?: unknown;
}

/** Stands for nested arrays far deeper than any schema; `serialise` splices them in as raw JSON. */
export const DEEP_NESTING = '\u0001deep-nesting\u0001';
const DEEP = 50_000;

/** JSON text of a payload, with DEEP_NESTING expanded (too deep for JSON.stringify's stack). */
export function serialise(payload: unknown): string {
  return JSON.stringify(payload).replace(JSON.stringify(DEEP_NESTING), '['.repeat(DEEP) + ']'.repeat(DEEP));
}

/** Values for a body field: NUL, lone surrogates (JSON \ud800 escapes once serialised), too long, wrong types, deep, huge. */
export function hostileBodyValues(): Array<[string, unknown]> {
  return [
    ['NUL', 'a\u0000b'],
    ['lone high surrogate', 'a\uD800b'],
    ['lone low surrogate', '\uDC00'],
    ['over-long string', 'x'.repeat(200_000)],
    ['number', 1e21],
    ['boolean', true],
    ['object', { a: '\u0000' }],
    ['array of NUL strings', ['\u0000', '\uD800']],
    ['deep nesting', DEEP_NESTING],
    ['huge array', new Array<string>(50_000).fill('x')],
  ];
}

/** Values for a query or path parameter, already percent-encoded. */
export const HOSTILE_URL_VALUES: Array<[string, string]> = [
  ['NUL', 'a%00b'],
  ['encoded lone surrogate', '%ED%A0%80'],
  ['invalid UTF-8', '%FF%FE'],
  ['over-long', 'x'.repeat(10_000)],
  ['negative', '-1'],
  ['huge number', '1e400'],
];

/** A plausible value for a schema node: enough for the rest of a request to pass validation. */
export function plausible(node: SchemaNode | undefined, depth = 0): unknown {
  if (!node || depth > 6) return null;
  if (node.default !== undefined) return node.default;
  if (node.const !== undefined) return node.const;
  if (node.enum) return node.enum[0];
  const variant = node.anyOf ?? node.oneOf;
  if (variant) return plausible(variant.find((v) => v.type !== 'null') ?? variant[0], depth + 1);
  const type = Array.isArray(node.type) ? node.type.find((t) => t !== 'null') : node.type;
  switch (type) {
    case 'string':
      return plausibleString(node);
    case 'integer':
    case 'number':
      return Math.max(node.minimum ?? 1, 1);
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of node.required ?? []) out[key] = plausible(node.properties?.[key], depth + 1);
      return out;
    }
    default:
      return null;
  }
}

function plausibleString(node: SchemaNode): string {
  switch (node.format) {
    case 'email':
      return 'fuzz@example.com';
    case 'date-time':
      return '2026-03-02T09:00:00.000Z';
    case 'uri':
      return 'https://example.com/';
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
    default:
      return 'fuzz'.padEnd(Math.max(node.minLength ?? 0, 4), 'z');
  }
}

/** The object schema of a node, or of its first object variant. */
function objectOf(node: SchemaNode | undefined): SchemaNode | undefined {
  if (!node) return undefined;
  return node.properties ? node : (node.anyOf ?? node.oneOf)?.find((v) => v.properties);
}

/** The item schema of an array node (or of its first array variant). */
function itemsOf(node: SchemaNode): SchemaNode | undefined {
  const array = node.items ? node : (node.anyOf ?? node.oneOf)?.find((v) => v.items);
  return array?.items;
}

/**
 * The paths of every field of a body schema, down to `maxDepth` segments, through nested objects and
 * into the first item of arrays (segment "0"); `withField` creates that item from its schema.
 */
export function fieldPaths(node: SchemaNode | undefined, maxDepth = 8, prefix: string[] = []): string[][] {
  const object = objectOf(node);
  if (!object?.properties || prefix.length >= maxDepth) return [];
  return Object.entries(object.properties).flatMap(([key, child]) => {
    const items = itemsOf(child);
    return [
      [...prefix, key],
      ...fieldPaths(child, maxDepth, [...prefix, key]),
      ...(items && objectOf(items) ? fieldPaths(items, maxDepth, [...prefix, key, '0']) : []),
    ];
  });
}

/** The schema node at `path` of a body schema (array items at segment "0"), if there is one. */
export function nodeAt(node: SchemaNode | undefined, path: string[]): SchemaNode | undefined {
  let at = node;
  for (const key of path) {
    if (!at) return undefined;
    at = key === '0' && itemsOf(at) ? itemsOf(at) : objectOf(at)?.properties?.[key];
  }
  return at;
}

/**
 * A copy of `base` with the field at `path` set to `value`. Objects are created along the way; a "0"
 * segment is the first item of an array, made plausible from `schema` when the array is empty, so
 * the hostile value sits among valid siblings.
 */
export function withField(base: unknown, path: string[], value: unknown, schema?: SchemaNode): Record<string, unknown> {
  const root = structuredClone((base ?? {}) as Record<string, unknown>);
  let at: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const isItem = path[i + 1] === '0';
    const next: unknown = (at as Record<string, unknown>)[key];
    let child: Record<string, unknown> | unknown[];
    if (isItem) {
      child = Array.isArray(next) ? next : [];
      if (child.length === 0) child.push(plausible(nodeAt(schema, [...path.slice(0, i + 1), '0'])) ?? {});
    } else {
      child = next !== null && typeof next === 'object' ? (next as Record<string, unknown>) : {};
    }
    (at as Record<string, unknown>)[key] = child;
    at = child;
  }
  (at as Record<string, unknown>)[path[path.length - 1] as string] = value;
  return root;
}
