import { expect, test } from '@playwright/test';
import { freePort } from '../../helpers/server-process';
import { attachWindow, serveRenderer, startAgent, waitFor } from './transport';

/*
 * No help desk reachable: the real agent core is pointed at a port nothing listens on. Filing a
 * ticket must still work — it waits in the durable outbox — and the window must say so plainly.
 */

test('offline: the ticket is kept in the outbox and the window says it will be sent later', async ({ page }) => {
  const agent = await startAgent({
    serverUrl: `http://127.0.0.1:${await freePort()}`,
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
  }
});
