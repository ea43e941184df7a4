import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateBody, inflateChunkSize } from './gzip.plugin';

const MiB = 1024 * 1024;

/** `gz` with its trailer's ISIZE (declared length) replaced. */
function withDeclaredSize(gz: Buffer, size: number): Buffer {
  const copy = Buffer.from(gz);
  copy.writeUInt32LE(size, copy.length - 4);
  return copy;
}

describe('gzip request bodies', () => {
  it('inflates a ticket-sized body exactly', async () => {
    const json = Buffer.from(JSON.stringify({ text: 'ticket '.repeat(10_000) }));
    expect((await inflateBody(gzipSync(json), 24 * MiB)).equals(json)).toBe(true);
  });

  it('inflates concatenated gzip members (the trailer only describes the last one)', async () => {
    const a = Buffer.from('a'.repeat(100_000));
    const b = Buffer.from('b'.repeat(10));
    expect((await inflateBody(Buffer.concat([gzipSync(a), gzipSync(b)]), 24 * MiB)).equals(Buffer.concat([a, b]))).toBe(
      true,
    );
  });

  it('does not trust the declared size: a body whose trailer says 10 bytes but inflates past 2 MiB still comes out whole', async () => {
    // Two members: the trailer describes only the last, 10-byte one.
    const big = Buffer.alloc(3 * MiB, 'x');
    const tail = Buffer.from('0123456789');
    expect(
      (await inflateBody(Buffer.concat([gzipSync(big), gzipSync(tail)]), 24 * MiB)).equals(Buffer.concat([big, tail])),
    ).toBe(true);
  });

  it('treats a trailer that lies about the length as broken gzip', async () => {
    const lying = withDeclaredSize(gzipSync(Buffer.alloc(3 * MiB, 'x')), 1000);
    await expect(inflateBody(lying, 24 * MiB)).rejects.toThrow(/incorrect length/);
  });

  it('stops at the limit, in-line or on the thread pool, with ERR_BUFFER_TOO_LARGE', async () => {
    const bomb = gzipSync(Buffer.alloc(8 * MiB));
    await expect(inflateBody(bomb, 1 * MiB)).rejects.toMatchObject({ code: 'ERR_BUFFER_TOO_LARGE' });
    await expect(inflateBody(bomb, 4 * MiB)).rejects.toMatchObject({ code: 'ERR_BUFFER_TOO_LARGE' });
    await expect(inflateBody(withDeclaredSize(bomb, 10), 4 * MiB)).rejects.toMatchObject({
      code: 'ERR_BUFFER_TOO_LARGE',
    });
  });

  it('rejects broken gzip with a zlib error, not a size error', async () => {
    const gz = gzipSync(Buffer.from('{"subject":"x"}'));
    for (const broken of [
      Buffer.from('not gzip at all, not at all'),
      gz.subarray(0, gz.length - 6),
      Buffer.concat([gz.subarray(0, 12), Buffer.alloc(20, 0xff), gz.subarray(12)]),
    ]) {
      const error = await inflateBody(broken, 24 * MiB).then(
        () => null,
        (e: NodeJS.ErrnoException) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect(error?.code).not.toBe('ERR_BUFFER_TOO_LARGE');
    }
  });

  it('sizes the output chunk from the trailer, within 16 KiB and 1 MiB', () => {
    expect(inflateChunkSize(gzipSync(Buffer.alloc(70_000)))).toBe(70_064);
    expect(inflateChunkSize(gzipSync(Buffer.alloc(10)))).toBe(16 * 1024);
    expect(inflateChunkSize(withDeclaredSize(gzipSync(Buffer.alloc(10)), 0xffffffff))).toBe(MiB);
    expect(inflateChunkSize(Buffer.alloc(3))).toBe(16 * 1024);
  });
});
