import { closeSync, openSync, readSync } from 'node:fs';
import { open, readFile, readdir, readlink, statfs } from 'node:fs/promises';

/** Reads up to this many bytes go into one buffer of that size; larger limits read the whole file. */
const SMALL_READ = 256 * 1024;

/** Port for reading local files that probes inspect. */
export interface FileReader {
  /** The file's text, or null when it does not exist or cannot be read. */
  readText(path: string, maxBytes?: number): Promise<string | null>;
  /**
   * The same, read synchronously: only for small kernel-generated files (/proc/<pid>/stat), where the
   * read takes microseconds but each of readFile's four thread-pool round trips can queue behind
   * every other probe's I/O, which would stretch a sampling window taken across hundreds of them.
   */
  readTextSync(path: string, maxBytes?: number): string | null;
  /** The file's bytes (binary files such as a monitor's EDID), or null when unreadable. */
  readBytes(path: string, maxBytes?: number): Promise<Uint8Array | null>;
  /** Entry names of a folder, or null when it does not exist or cannot be read. */
  list(path: string): Promise<string[] | null>;
  /** Where a symbolic link points (as written in the link), or null when `path` is not a link. */
  readLink(path: string): Promise<string | null>;
  /** Size, used and available bytes of the file system holding `path` (as df counts them), or null. */
  space(path: string): Promise<FsSpace | null>;
}

/** A file system's space in bytes; `used + available` excludes the root reserve. */
export interface FsSpace {
  size: number;
  used: number;
  available: number;
}

/** Reads the real file system. */
export function createFileReader(): FileReader {
  // One buffer for every synchronous read (they cannot overlap); the text is copied out of it.
  let scratch = Buffer.alloc(0);
  return {
    async readText(path, maxBytes = 32 * 1024 * 1024) {
      try {
        if (maxBytes > SMALL_READ) return (await readFile(path)).subarray(0, maxBytes).toString('utf8');
        // Only the bytes wanted: readFile would read a /proc or /sys file to its end in 64 KB pieces
        // (/proc/self/smaps is hundreds of KB) and keep them all until it could join them.
        const handle = await open(path, 'r');
        try {
          const buffer = Buffer.allocUnsafe(maxBytes);
          let length = 0;
          for (let n = 1; n > 0 && length < maxBytes; length += n) {
            n = (await handle.read(buffer, length, maxBytes - length, null)).bytesRead;
          }
          return buffer.toString('utf8', 0, length);
        } finally {
          await handle.close();
        }
      } catch {
        return null;
      }
    },
    readTextSync(path, maxBytes = 64 * 1024) {
      let fd: number | undefined;
      try {
        fd = openSync(path, 'r');
        if (scratch.length < maxBytes) scratch = Buffer.allocUnsafe(maxBytes);
        const buffer = scratch;
        let length = 0;
        // procfs answers in pieces; read until end of file or the limit.
        for (let n = 1; n > 0 && length < maxBytes; length += n)
          n = readSync(fd, buffer, length, maxBytes - length, null);
        return buffer.toString('utf8', 0, length);
      } catch {
        return null;
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    },
    async readBytes(path, maxBytes = 1024 * 1024) {
      try {
        return (await readFile(path)).subarray(0, maxBytes);
      } catch {
        return null;
      }
    },
    async list(path) {
      try {
        return await readdir(path);
      } catch {
        return null;
      }
    },
    async readLink(path) {
      try {
        return await readlink(path);
      } catch {
        return null;
      }
    },
    async space(path) {
      try {
        const s = await statfs(path);
        return { size: s.blocks * s.bsize, used: (s.blocks - s.bfree) * s.bsize, available: s.bavail * s.bsize };
      } catch {
        return null;
      }
    },
  };
}
