import { readFile } from 'node:fs/promises';
import { parseSnapshot, type Snapshot } from '../shared/snapshot';
import { UsageError } from './io';

/** Reads and validates a snapshot file, with a one-line reason when it is not one. */
export async function readSnapshotFile(path: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'EACCES'
            ? 'permission denied'
            : (code ?? 'unreadable');
    throw new UsageError(`cannot read ${path}: ${why}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not JSON: ${(error as Error).message}`);
  }
  const parsed = parseSnapshot(json);
  if (!parsed.ok)
    throw new UsageError(
      `${path} is not a Deskside snapshot: ${parsed.message.split('\n').slice(0, 2).join(' ').trim()}`,
    );
  return parsed.value;
}
