import { join } from 'node:path';
import { z } from 'zod';
import type { AgentLogger } from './agent-platform';
import { readJsonFile, writeFileAtomic } from './atomic-file';

/*
 * The nonces of the commands this agent accepted, kept in <dataDir>/command-nonces.json (mode 0600,
 * written atomically) until their command's expiry: a command played again is refused even after a
 * restart. With each nonce goes the command's id and, once it ended, the frame that answered it (the
 * result, a denial or a refusal), so a duplicate delivery of the same command is answered again
 * rather than refused; `sent` says whether that answer reached a live channel (an unsent one is sent
 * when the channel is back).
 */

const finalSchema = z.object({ type: z.string() }).passthrough();
const entrySchema = z.object({
  commandId: z.string(),
  /** Epoch ms after which the command can no longer verify, so the nonce can be forgotten. */
  expiresAt: z.number(),
  final: finalSchema.nullable(),
  sent: z.boolean(),
});
const fileSchema = z.object({ version: z.literal(1), nonces: z.record(z.string(), entrySchema) });
export type NonceEntry = z.infer<typeof entrySchema>;

/** The frame that ended a command (command.result, or command.update denied/refused). */
export type FinalFrame = z.infer<typeof finalSchema>;

export interface NonceStore {
  /** Reads the file (once; later calls do nothing). A missing or bad file is an empty store. */
  load(): Promise<void>;
  /** Whether the nonce was seen; if not, records it for the command (in memory; save() persists). */
  seen(nonce: string, commandId: string, expiresAt: number): boolean;
  get(nonce: string): NonceEntry | undefined;
  /** Records the frame that ended the nonce's command and whether it was sent. */
  finish(nonce: string, final: FinalFrame, sent: boolean): void;
  markSent(nonce: string): void;
  /** Nonces whose final answer has not reached the server yet. */
  unsent(): Array<[string, NonceEntry]>;
  /** Drops expired nonces and writes the file. */
  save(): Promise<void>;
}

export function createNonceStore(deps: { dataDir: string; now: () => number; logger: AgentLogger }): NonceStore {
  const file = join(deps.dataDir, 'command-nonces.json');
  const nonces = new Map<string, NonceEntry>();
  let loaded: Promise<void> | null = null;
  let writing: Promise<void> = Promise.resolve();

  const prune = () => {
    const now = deps.now();
    for (const [nonce, entry] of nonces) if (entry.expiresAt < now && entry.sent) nonces.delete(nonce);
  };

  return {
    load() {
      return (loaded ??= (async () => {
        try {
          const parsed = fileSchema.safeParse(await readJsonFile(file));
          if (parsed.success) for (const [nonce, entry] of Object.entries(parsed.data.nonces)) nonces.set(nonce, entry);
        } catch (error) {
          deps.logger.error('command-nonces.json is unreadable; starting with no nonces', { error: String(error) });
        }
        prune();
      })());
    },
    seen(nonce, commandId, expiresAt) {
      if (nonces.has(nonce)) return true;
      nonces.set(nonce, { commandId, expiresAt, final: null, sent: false });
      return false;
    },
    get: (nonce) => nonces.get(nonce),
    finish(nonce, final, sent) {
      const entry = nonces.get(nonce);
      if (entry) nonces.set(nonce, { ...entry, final, sent });
    },
    markSent(nonce) {
      const entry = nonces.get(nonce);
      if (entry) entry.sent = true;
    },
    unsent: () => [...nonces].filter(([, entry]) => entry.final !== null && !entry.sent),
    save() {
      prune();
      const data = JSON.stringify({ version: 1, nonces: Object.fromEntries(nonces) });
      // One write at a time, in order: the last save wins.
      writing = writing
        .then(() => writeFileAtomic(file, data, { mode: 0o600 }))
        .then(
          () => undefined,
          (error: unknown) => deps.logger.error('cannot write command-nonces.json', { error: String(error) }),
        );
      return writing;
    },
  };
}
