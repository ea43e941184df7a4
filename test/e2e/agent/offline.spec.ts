import { expect, test } from '@playwright/test';
import { createServer, type Server, type Socket } from 'node:net';
import { attachWindow, serveRenderer, startAgent, waitFor } from './transport';

/*
 * No help desk reachable: the real agent core is pointed at a port that resets every connection. Filing
 * a ticket must still work — it waits in the durable outbox — and the window must say so plainly.
 */

/**
 * A port held for the whole test that answers nothing: each connection is reset at once. (A port merely
 * found free and released could be handed to the next listener, the renderer's own server included.)
 */
async function deadPort(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.resetAndDestroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

test('offline: the ticket is kept in the outbox and the window says it will be sent later', async ({ page }) => {
  const dead = await deadPort();
  const agent = await startAgent({
    serverUrl: `http://127.0.0.1:${dead.port}`,
    enrollSecret: 'e2e-offline-secret-0123456789',
  });
  const site = await serveRenderer();
  try {
    const problems = await attachWindow(page, agent);
    await page.setViewportSize({ width: 960, height: 680 });
    await page.goto(site.url);
    await expect(page.getByTestId('connection-status')).not.toContainText('Connected');

    await page.getByRole('button', { name: 'Get help' }).first().click();
    await page.getByLabel('What is wrong?').fill('VPN disconnects every few minutes');
    await page.getByLabel('What is it about?').selectOption('network');
    await page.getByRole('checkbox', { name: 'Send no details from my computer' }).check();
    await page.getByRole('button', { name: 'Send to the help desk' }).click();
    await expect(page.getByRole('heading', { name: /will be sent when the help desk is reachable/ })).toBeVisible({
      timeout: 20_000,
    });

    await page.getByRole('button', { name: 'Go to My tickets' }).click();
    const item = page.getByTestId('outbox-item');
    await expect(item).toContainText('VPN disconnects every few minutes');
    await expect(item).toContainText('Waiting to send');
    await waitFor('the outbox on disk', async () => {
      const list = await agent.invoke('tickets:list', {});
      return (
        list.ok &&
        list.value.outbox.some((o) => o.subject === 'VPN disconnects every few minutes' && o.state !== 'sent')
      );
    });
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  } finally {
    await site.close();
    await agent.stop();
    await dead.close();
  }
});
