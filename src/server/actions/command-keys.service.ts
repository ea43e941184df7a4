import type { ServerContext } from '../context';
import { generateCommandKeyPair, type CommandKeyPair } from './command-crypto';
import { insertCommandKeyIfMissing, selectCommandKey } from './command-keys.repo';

/*
 * The installation's command-signing key: created by whichever server process needs it first, then
 * the same for every process, because it lives in the database. Processes that race to create it each
 * insert their own with "on conflict do nothing" and then read the one row that won.
 */

const PURPOSE = 'commands';

/** The installation's command-signing key pair, created on first use. */
export async function commandKeyPair(ctx: Pick<ServerContext, 'db' | 'now'>): Promise<CommandKeyPair> {
  const existing = await selectCommandKey(ctx.db.kysely, PURPOSE);
  if (existing) return { publicKeyPem: existing.public_key, privateKeyPem: existing.private_key };
  const fresh = generateCommandKeyPair();
  await insertCommandKeyIfMissing(ctx.db.kysely, {
    purpose: PURPOSE,
    algorithm: 'ed25519',
    public_key: fresh.publicKeyPem,
    private_key: fresh.privateKeyPem,
    created_at: ctx.now(),
  });
  const stored = await selectCommandKey(ctx.db.kysely, PURPOSE);
  if (!stored) throw new Error('The command-signing key was neither found nor created');
  return { publicKeyPem: stored.public_key, privateKeyPem: stored.private_key };
}

/** The public half (PEM, SPKI) that agents pin at enrollment. */
export async function commandPublicKey(ctx: Pick<ServerContext, 'db' | 'now'>): Promise<string> {
  return (await commandKeyPair(ctx)).publicKeyPem;
}
