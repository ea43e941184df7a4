import type { Page } from '@playwright/test';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveRenderer } from '../agent/transport';
import { createEnrollSecret, staffClient, startServer, type RunningServer } from '../support/server';

/*
 * The help desk of the remote-actions spec: a real server (the built CLI, SQLite) serving a private copy
 * of the built console, an enrollment secret for the agents, a technician with a name (the consent
 * prompt shows it), and the built employee window served for the second page.
 */

export const TECHNICIAN = {
  email: 'sam.rivera@deskside.test',
  name: 'Sam Rivera',
  password: 'technician password for e2e',
} as const;

export interface CommandDesk {
  server: RunningServer;
  secret: string;
  /** The employee window (dist/renderer copy) on 127.0.0.1. */
  rendererUrl: string;
  /** Who the consent prompt names. */
  staffName: string;
  /** Signs the console page in as the technician (the page shows the sign-in form). */
  signIn(page: Page): Promise<void>;
  stop(): Promise<void>;
}

/** `env`: the server's extra configuration (IT's TURN servers for the screen-share spec). */
export async function startCommandDesk(options: { env?: NodeJS.ProcessEnv } = {}): Promise<CommandDesk> {
  // Private copies of the built console and window: other runs in this checkout may rebuild dist/.
  const consoleCopy = await mkdtemp(join(tmpdir(), 'deskside-console-'));
  await cp('dist/console', consoleCopy, { recursive: true });
  const server = await startServer({ env: { DESKSIDE_CONSOLE_DIR: consoleCopy, ...options.env } });
  const renderer = await serveRenderer().catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  const stop = async () => {
    await renderer.close();
    await server.stop();
    await rm(consoleCopy, { recursive: true, force: true });
  };
  try {
    const secret = await createEnrollSecret(server.url);
    const admin = await staffClient(server.url);
    const created = await admin.request('POST', '/api/v1/staff', { ...TECHNICIAN, role: 'technician' });
    if (created.status !== 201) throw new Error(`technician: ${created.status} ${JSON.stringify(created.body)}`);
    return {
      server,
      secret,
      rendererUrl: renderer.url,
      staffName: TECHNICIAN.name,
      async signIn(page) {
        await page.getByLabel('Email').fill(TECHNICIAN.email);
        await page.getByLabel('Password').fill(TECHNICIAN.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
