import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { healthySnapshot, withoutSection, withSection } from '../../../test/fixtures/snapshot-factory';
import { compileCanonicalCheck, isCanonicalSnapshot } from './compiled';
import { SECTION_NAMES, snapshotSchema } from './snapshot';

type Json = unknown;
type Doc = { name: string; doc: Json; deferred?: boolean };

/** zod's verdict and whether the input is already its canonical output. */
function reference(doc: Json): { valid: boolean; canonical: boolean } {
  const parsed = snapshotSchema.safeParse(doc);
  return { valid: parsed.success, canonical: parsed.success && JSON.stringify(doc) === JSON.stringify(parsed.data) };
}

/** Every path to a value inside `doc` (objects and arrays), root first. */
function paths(doc: Json, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(doc)) doc.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (doc !== null && typeof doc === 'object')
    for (const [k, v] of Object.entries(doc)) out.push(...paths(v, [...at, k]));
  return out;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** A copy of `doc` with the value at `path` replaced by `fn(old)` (or deleted when fn returns DELETE). */
const DELETE = Symbol('delete');
function mutate(doc: Json, path: (string | number)[], fn: (old: unknown) => unknown): Json {
  const copy = clone(doc);
  if (path.length === 0) return fn(copy) === DELETE ? undefined : fn(copy);
  let parent = copy as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  const next = fn(parent[last]);
  if (next === DELETE) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = next;
  return copy;
}

function reversedKeys(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v).reverse());
}

const VALUES: [string, unknown][] = [
  ['null', null],
  ['true', true],
  ['zero', 0],
  ['minus one', -1],
  ['fraction', 1.5],
  ['101', 101],
  ['201', 201],
  ['2^53', 2 ** 53],
  ['empty string', ''],
  ['long string', 'x'.repeat(300)],
  ['very long string', 'x'.repeat(3000)],
  ['empty array', []],
  ['empty object', {}],
  ['NaN', Number.NaN],
  ['Infinity', Infinity],
  ['date string', '2024-05-01T10:00:00Z'],
  ['bad date', '2024-13-01T10:00:00Z'],
  ['number string', '1'],
  ['enum-ish', 'ok'],
  ['literal 1', 1],
];

/** Valid fixtures, then every path of the healthy snapshot mutated in every way that matters. */
function corpus(): Doc[] {
  const base = healthySnapshot();
  const docs: Doc[] = [
    { name: 'healthy', doc: base },
    ...SECTION_NAMES.map((name) => ({ name: `without ${name}`, doc: withoutSection(base, name) })),
    {
      name: 'root nearly full',
      doc: withSection(base, 'storage', {
        filesystems: [
          {
            mount: '/',
            device: '/dev/x',
            fsType: 'ext4',
            sizeBytes: 100,
            usedBytes: 99,
            availableBytes: 1,
            usePercent: 99,
          },
        ],
      }),
    },
    { name: 'no wifi', doc: withSection(base, 'network', { wifi: null }) },
    { name: 'not an object', doc: 'snapshot' },
    { name: 'array', doc: [] },
    { name: 'null', doc: null },
  ];
  for (const path of paths(base)) {
    const at = path.join('.') || '(root)';
    docs.push({ name: `${at} deleted`, doc: mutate(base, path, () => DELETE) });
    for (const [label, value] of VALUES)
      docs.push({ name: `${at} = ${label}`, doc: mutate(base, path, () => clone(value)) });
    docs.push({ name: `${at} keys reversed`, doc: mutate(base, path, reversedKeys) });
    docs.push({
      name: `${at} + unknown key`,
      doc: mutate(base, path, (v) => (v && typeof v === 'object' && !Array.isArray(v) ? { ...v, extra: 1 } : v)),
    });
    docs.push({
      name: `${at} + __proto__ key`,
      doc: mutate(base, path, (v) =>
        v && typeof v === 'object' && !Array.isArray(v)
          ? { ...v, ...(JSON.parse('{"__proto__":{"x":1}}') as object) }
          : v,
      ),
    });
    docs.push({
      name: `${at} first element doubled`,
      doc: mutate(base, path, (v) => (Array.isArray(v) && v.length ? [v[0], ...v] : v)),
    });
    docs.push({
      name: `${at} x 300`,
      doc: mutate(base, path, (v) => (Array.isArray(v) && v.length ? Array.from({ length: 300 }, () => v[0]) : v)),
    });
  }
  return docs;
}

describe('compiled snapshot check', () => {
  const docs = corpus();

  // Over 3,000 full documents each go through zod (~1.5 ms) and a deep clone (~1 ms): about 7 s on an
  // idle machine and several times that under load, so the timeout states the work, not the default.
  it(
    'gives zod’s verdict on every fixture and mutation, and accepts only what is already canonical',
    { timeout: 120_000 },
    () => {
      let accepted = 0;
      let rejected = 0;
      const disagreements: { name: string; fast: boolean; zod: boolean }[] = [];
      for (const { name, doc } of docs) {
        const ref = reference(doc);
        // true ⇔ zod accepts and JSON.stringify(input) is exactly JSON.stringify(zod's output).
        const fast = isCanonicalSnapshot(doc);
        if (fast !== ref.canonical) disagreements.push({ name, fast, zod: ref.canonical });
        if (ref.valid) accepted++;
        else rejected++;
      }
      // One assertion for the whole corpus (an expect() per document costs more than the checks).
      expect(disagreements).toEqual([]);
      // The corpus exercises both sides broadly.
      expect(docs.length).toBeGreaterThan(3000);
      expect(accepted).toBeGreaterThan(500);
      expect(rejected).toBeGreaterThan(1500);
    },
  );

  it('accepts every valid fixture (the fast path is the common path)', () => {
    for (const { name, doc } of docs.slice(0, SECTION_NAMES.length + 3))
      expect({ name, fast: isCanonicalSnapshot(doc) }).toEqual({ name, fast: true });
  });

  it('leaves to zod what zod may accept but it cannot vouch for', () => {
    const base = healthySnapshot();
    // 256 astral characters: 512 UTF-16 units, 256 code points (zod counts code points past the limit).
    const astral = '😀'.repeat(256);
    const cases: Json[] = [
      withSection(base, 'os', { name: astral }),
      { ...base, sections: { ...base.sections, os: undefined } },
    ];
    for (const doc of cases) expect(isCanonicalSnapshot(doc)).toBe(false);
    expect(snapshotSchema.safeParse(cases[0]).success).toBe(true);
    expect(snapshotSchema.safeParse(cases[1]).success).toBe(true);
  });

  it('refuses to compile schema constructs it does not model', () => {
    expect(() => compileCanonicalCheck(z.object({ a: z.string().transform((s) => s.length) }))).toThrow(/unsupported/);
    expect(() => compileCanonicalCheck(z.object({ a: z.string().min(2) }))).toThrow(/unsupported/);
    expect(() => compileCanonicalCheck(z.object({ a: z.number().multipleOf(2) }))).toThrow(/unsupported/);
    expect(() => compileCanonicalCheck(z.object({ a: z.string() }).passthrough())).toThrow(/unsupported/);
  });
});
