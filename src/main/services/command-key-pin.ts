import { join } from 'node:path';
import { z } from 'zod';
import type { AgentLogger } from './agent-platform';
import { readJsonFile, writeFileAtomic } from './atomic-file';
import { publicKeyFingerprint } from './command-verifier';

/*
 * The help desk's command-signing key, pinned at the first enrollment with a server and kept in
 * <dataDir>/command-key.json (mode 0600; written atomically), apart from device.json so that losing or
 * re-enrolling credentials never loses the pin. A later enrollment that answers a different key does
 * not replace it: the pin stays, the difference is logged and shown, and commands (which that other key
 * signs) fail verification. A pin belongs to one server URL; enrolling with another server (IT changed
 * the configured URL) pins that server's key. To accept a key that legitimately changed, IT deletes
 * command-key.json on the device and lets it enroll again.
 */

const pinSchema = z.object({
  serverUrl: z.string(),
  publicKeyPem: z.string().min(1),
  fingerprint: z.string(),
  pinnedAt: z.string(),
  /** The last different key a re-enrollment offered, refused. */
  refused: z.object({ fingerprint: z.string().nullable(), at: z.string() }).nullable(),
});
type Pin = z.infer<typeof pinSchema>;

/** What became of a key an enrollment answered. */
export type PinOutcome = 'pinned' | 'unchanged' | 'refused-different' | 'refused-invalid';

export interface CommandKeyPin {
  /** Reads command-key.json; call once before anything else. */
  load(): Promise<void>;
  /** Takes the key a server answered at enrollment: pins the first, keeps it when the server answers another. */
  offer(serverUrl: string, publicKeyPem: string): Promise<PinOutcome>;
  /** The pinned key (PEM, SPKI) for this server, or null: what the command runner verifies with. */
  key(serverUrl: string | null): string | null;
  /** Why this server's commands cannot be trusted, in words for Settings and the log; null when all is well. */
  problem(serverUrl: string | null): string | null;
}

export const KEY_CHANGED_MESSAGE =
  "The help desk's command key changed since this computer enrolled; remote actions are refused until IT resets the pinned key.";
export const KEY_INVALID_MESSAGE = 'The help desk sent no valid command key; remote actions are refused.';

/** Builds the pin store over a data folder. */
export function createCommandKeyPin(deps: {
  dataDir: string;
  logger: AgentLogger;
  now: () => number;
  normalizeUrl: (url: string) => string;
}): CommandKeyPin {
  const file = join(deps.dataDir, 'command-key.json');
  let pin: Pin | null = null;
  // An invalid key offered by the server this run (nothing to persist: there is no pin to protect).
  let invalidFrom: string | null = null;

  const forServer = (url: string | null): Pin | null =>
    pin && url && deps.normalizeUrl(url) === pin.serverUrl ? pin : null;

  const save = async (next: Pin): Promise<void> => {
    await writeFileAtomic(file, JSON.stringify(next, null, 2), { mode: 0o600 });
    pin = next;
  };

  return {
    async load() {
      try {
        const raw = await readJsonFile(file);
        const parsed = pinSchema.safeParse(raw);
        pin = parsed.success ? parsed.data : null;
        if (!parsed.success && raw !== undefined)
          deps.logger.error('command-key.json is invalid; remote actions stay off until a key is pinned');
      } catch (error) {
        deps.logger.error('command-key.json is unreadable; remote actions stay off until a key is pinned', {
          error: String(error),
        });
        pin = null;
      }
    },

    async offer(serverUrl, publicKeyPem) {
      const url = deps.normalizeUrl(serverUrl);
      const fingerprint = publicKeyFingerprint(publicKeyPem);
      const at = new Date(deps.now()).toISOString();
      const current = forServer(url);
      if (fingerprint === null) {
        deps.logger.error('the help desk answered no valid command key', { serverUrl: url });
        if (current) await save({ ...current, refused: { fingerprint: null, at } });
        else invalidFrom = url;
        return 'refused-invalid';
      }
      invalidFrom = null;
      if (!current) {
        await save({ serverUrl: url, publicKeyPem, fingerprint, pinnedAt: at, refused: null });
        deps.logger.info('pinned the help desk command key', { serverUrl: url, fingerprint });
        return 'pinned';
      }
      if (current.fingerprint === fingerprint) {
        // The server answers the pinned key again: whatever answered another one is gone.
        if (current.refused) await save({ ...current, refused: null });
        return 'unchanged';
      }
      deps.logger.error('the help desk answered a different command key; keeping the pinned one', {
        serverUrl: url,
        pinned: current.fingerprint,
        offered: fingerprint,
      });
      await save({ ...current, refused: { fingerprint, at } });
      return 'refused-different';
    },

    key: (url) => forServer(url)?.publicKeyPem ?? null,

    problem(url) {
      const current = forServer(url);
      if (current?.refused) return KEY_CHANGED_MESSAGE;
      if (!current && url && invalidFrom === deps.normalizeUrl(url)) return KEY_INVALID_MESSAGE;
      return null;
    },
  };
}
