import { randomBytes } from 'node:crypto';
import { brotliDecompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeSnapshotBytes, encodeSnapshotData, isGzipData } from './snapshot-codec';

const json = (n: number) =>
  Buffer.from(
    JSON.stringify({ sections: Array.from({ length: n }, (_, i) => ({ name: `process-${i}`, pid: i, cpu: i / 7 })) }),
  );

describe('snapshot codec', () => {
  const inputs = [
    Buffer.alloc(0),
    Buffer.from('{}'),
    json(10),
    json(2000),
    randomBytes(4096),
    Buffer.alloc(100_000, 0x1f),
  ];

  it('stores Brotli that reads back byte for byte, smaller than the JSON', async () => {
    for (const input of inputs) {
      const data = encodeSnapshotData(input);
      expect(brotliDecompressSync(data).equals(input)).toBe(true);
      expect((await decodeSnapshotBytes(data)).equals(input)).toBe(true);
    }
    const large = json(2000);
    expect(encodeSnapshotData(large).length).toBeLessThan(large.length / 4);
  });

  it('never writes a stream that reads as gzip: the first byte carries the fixed window (low bits 1011)', () => {
    for (const input of inputs) {
      const data = encodeSnapshotData(input);
      expect(data[0]! & 0x0f).toBe(0x0b);
      expect(isGzipData(data)).toBe(false);
    }
  });

  it('reads rows stored gzipped before', async () => {
    const input = json(300);
    const old = gzipSync(input, { level: 3 });
    expect(isGzipData(old)).toBe(true);
    expect((await decodeSnapshotBytes(old)).equals(input)).toBe(true);
  });

  it('refuses data that is neither', async () => {
    await expect(decodeSnapshotBytes(Buffer.from('not compressed'))).rejects.toThrow();
  });
});
