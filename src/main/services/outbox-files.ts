import { open, readFile } from 'node:fs/promises';

/*
 * How the outbox reads its files. An item file is two lines: its metadata (small: state, attempts,
 * schedule) and the ticket request (snapshot and screenshot included, often megabytes). Listing and
 * scheduling read only the first line; sending an item reads its whole file, once.
 */

const CHUNK = 4096;

/** The first line of a file (without the newline), reading only as far as it goes; null if absent. */
export async function readFirstLine(file: string): Promise<string | null> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const parts: Buffer[] = [];
    let position = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK, position);
      if (bytesRead === 0) break;
      const newline = chunk.subarray(0, bytesRead).indexOf(0x0a);
      if (newline >= 0) {
        parts.push(chunk.subarray(0, newline));
        break;
      }
      parts.push(chunk.subarray(0, bytesRead));
      position += bytesRead;
    }
    return Buffer.concat(parts).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The whole file as text; null if absent. */
export async function readWhole(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
