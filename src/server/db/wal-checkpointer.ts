import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/*
 * SQLite in WAL mode copies the log back into the database file (a checkpoint) at the commit that takes
 * the log past 1000 pages, on the connection that commits, and syncs both files to disk there. In a server
 * that commit is a request on the event loop: under a steady stream of ticket submissions that is several
 * checkpoints a second, each blocking its process for the time of two fsyncs (measured up to 210 ms here),
 * and the long tail of submission latency. The server's connections therefore leave checkpoints to this
 * thread, which has a connection of its own and runs a PASSIVE checkpoint (it never waits for readers or
 * writers) every interval. Should the thread die, the connection is told to checkpoint on commit again.
 *
 * A PASSIVE checkpoint alone lets the log grow without end under a steady stream of commits: the log starts
 * over from its beginning only when a transaction begins with every frame already copied back, and with a
 * commit every few milliseconds that moment never comes (in the submission bench the log reached 296 MB in
 * 25 s). So once the log holds `restartFrames` frames, the thread runs a RESTART checkpoint: it waits for
 * the transaction in progress (at most `RESTART_WAIT_MS`), holds new writers off while it copies the few
 * frames since the PASSIVE one and syncs, and the next commit writes the log from its start again. The
 * server's connections keep the file itself at most `JOURNAL_SIZE_LIMIT` bytes after such a restart.
 */

/** The thread's program: CommonJS, evaluated; better-sqlite3 comes from the path the server resolved. */
const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
// The timeout is the RESTART's wait for a writer to finish; PASSIVE never waits.
const db = new Database(workerData.path, { timeout: workerData.restartWaitMs });
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
// A RESTART that finds a writer or reader still busy after its wait answers busy = 1, having held writers off
// for that wait. A reader that stays (a long read) keeps the log from starting over whatever is tried, so the
// next RESTART waits a while, longer after each busy one (RESTART_BACKOFF_MS); one that is not busy resets it.
let backoffMs = 0;
let restartAfter = 0;
const run = () => {
  try {
    if (passive.get().log < workerData.restartFrames || Date.now() < restartAfter) return;
    if (restart.get().busy) {
      backoffMs = Math.min(workerData.maxBackoffMs, backoffMs ? backoffMs * 2 : workerData.minBackoffMs);
      restartAfter = Date.now() + backoffMs;
    } else backoffMs = 0;
  } catch (error) {
    // Another connection checkpointing at the same moment: the next interval catches up.
    if (error.code !== 'SQLITE_BUSY' && error.code !== 'SQLITE_LOCKED') throw error;
  }
};
const timer = setInterval(run, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  run();
  db.close();
  parentPort.close();
});
`;

/** How often the thread checkpoints: at 500 submissions a second, a few MB of log between two. */
export const CHECKPOINT_INTERVAL_MS = 250;
/**
 * A log of this many frames (pages; 64 MB at SQLite's 4 KB pages) is restarted. Each RESTART holds writers off
 * for its syncs (19 ms median, 73 ms at most under the submission bench here): at 4096 frames that was 1.6 a
 * second at 500 submissions/s, enough to show in their 99th percentile; at this size, one every 2.5 s.
 */
export const RESTART_FRAMES = 16_384;
/** How long a RESTART checkpoint waits for a transaction in progress (writers wait for it meanwhile). */
const RESTART_WAIT_MS = 100;
/** After a RESTART that found a reader or writer still busy, the next waits this long, doubling up to max. */
const RESTART_BACKOFF_MS = { min: 1000, max: 30_000 };
/** The server's connections truncate a restarted log file beyond this (journal_size_limit). */
export const JOURNAL_SIZE_LIMIT = 128 * 1024 * 1024;

export interface WalCheckpointerOptions {
  intervalMs?: number;
  restartFrames?: number;
}

export interface WalCheckpointer {
  /** Checkpoints once more and ends the thread. */
  stop(): Promise<void>;
}

/**
 * Starts the checkpointing thread for the SQLite file at `path`. `onExit` hears when it ends other than
 * by stop() (the caller turns checkpoints on commit back on), with the error that ended it.
 */
export function startWalCheckpointer(
  path: string,
  onExit: (error: Error) => void,
  { intervalMs = CHECKPOINT_INTERVAL_MS, restartFrames = RESTART_FRAMES }: WalCheckpointerOptions = {},
): WalCheckpointer {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const workerData = {
    module,
    path,
    intervalMs,
    restartFrames,
    restartWaitMs: RESTART_WAIT_MS,
    minBackoffMs: RESTART_BACKOFF_MS.min,
    maxBackoffMs: RESTART_BACKOFF_MS.max,
  };
  const worker = new Worker(CHECKPOINTER_SOURCE, { eval: true, workerData });
  // Never keeps the process alive on its own; the server stops it on close.
  worker.unref();
  let stopping = false;
  let failure: Error | undefined;
  worker.on('error', (error) => (failure = error));
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      if (!stopping) onExit(failure ?? new Error(`the WAL checkpoint thread exited with code ${code}`));
      resolve();
    }),
  );
  return {
    async stop() {
      stopping = true;
      worker.postMessage('stop');
      await exited;
    },
  };
}
