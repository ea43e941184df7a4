import type { Browser } from '@playwright/test';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnrollSecret, staffClient, startServer, type RunningServer, type StaffClient } from '../support/server';
import {
  baselineSnapshot,
  deviceReply,
  enroll,
  fileTicket,
  ticketSnapshot,
  uploadSnapshot,
  type Device,
} from './support-agent';

/*
 * The help desk the technician tests work in: a server serving a private copy of the built console,
 * three enrolled devices, a ticket full of hostile employee text with two snapshots around it and a
 * screenshot reply, four ordinary tickets, and a published article to insert.
 */

/** Employee text that must render as text. */
export const HOSTILE = {
  subject: 'Outlook crashes <img src=x onerror=alert(1)>',
  description: 'It shows <script>alert(2)</script> and then closes.\nSince this morning.',
  requester: 'Jo <i>Doe</i>',
  printer: '<b>x</b>',
} as const;

/** The name of the screenshot filed with the hostile ticket (employee-supplied, so hostile too). */
export const FILED_SCREENSHOT = 'filed <b>with</b> the ticket.png';

/** What the tests work with. */
export interface HelpDesk {
  server: RunningServer;
  staff: StaffClient;
  laptop: Device;
  ticketId: number;
  snapshotId: number;
  stop(): Promise<void>;
}

/** A real PNG: Chromium's own screenshot of a fake error dialog. */
async function screenshotPng(browser: Browser): Promise<Buffer> {
  const p = await browser.newPage({ viewport: { width: 480, height: 200 } });
  await p.setContent(
    '<body style="font:16px sans-serif;background:#eef;padding:24px"><div style="background:#fff;border:1px solid #99a;padding:16px"><b>Microsoft Outlook</b><p>Outlook has stopped working.</p></div></body>',
  );
  const png = await p.screenshot();
  await p.close();
  return png;
}

/** Starts the server and files everything through the agent API. */
export async function seedHelpDesk(browser: Browser): Promise<HelpDesk> {
  // A private copy of the built console: other test runs in this checkout may rebuild dist/ meanwhile.
  const consoleCopy = await mkdtemp(join(tmpdir(), 'deskside-console-'));
  await cp('dist/console', consoleCopy, { recursive: true });
  const server = await startServer({ env: { DESKSIDE_CONSOLE_DIR: consoleCopy } });
  const stop = async () => {
    await server.stop();
    await rm(consoleCopy, { recursive: true, force: true });
  };
  try {
    const staff = await staffClient(server.url);
    const secret = await createEnrollSecret(server.url);
    const laptop = await enroll(server.url, secret, 'lt-jdoe-0042', {
      platform: 'linux',
      name: 'Ubuntu',
      version: '24.04',
    });
    const desktop = await enroll(server.url, secret, 'ws-finance-07', {
      platform: 'win32',
      name: 'Windows 11 Pro',
      version: '23H2',
    });
    const mac = await enroll(server.url, secret, 'mb-design-3', { platform: 'darwin', name: 'macOS', version: '15.1' });

    await uploadSnapshot(server.url, laptop, baselineSnapshot(laptop.hostname));
    const png = await screenshotPng(browser);
    const ticket = await fileTicket(server.url, laptop, {
      subject: HOSTILE.subject,
      description: HOSTILE.description,
      category: 'email',
      urgency: 'high',
      impact: 'medium',
      requester: { name: HOSTILE.requester, email: 'jo.doe@example.com' },
      snapshot: ticketSnapshot(laptop.hostname, HOSTILE.printer),
      // The agent sends its screenshot with the ticket itself; the file name is employee-supplied text.
      attachments: [
        {
          kind: 'screenshot',
          filename: FILED_SCREENSHOT,
          contentType: 'image/png',
          dataBase64: png.toString('base64'),
        },
      ],
    });
    await deviceReply(server.url, laptop, ticket.id, 'Here is what I see.', png);
    const later = ticketSnapshot(laptop.hostname, HOSTILE.printer);
    later.collectedAt = new Date().toISOString();
    later.sections.storage!.filesystems[0]!.usePercent = 60;
    await uploadSnapshot(server.url, laptop, later);

    const others: Array<[Device, string, string, string]> = [
      [desktop, 'Excel freezes when opening the budget file', 'low', 'low'],
      [desktop, 'Cannot print to Floor2 printer', 'medium', 'low'],
      [mac, 'VPN disconnects every 10 minutes', 'high', 'high'],
      [mac, 'New monitor not detected', 'medium', 'medium'],
    ];
    for (const [device, subject, urgency, impact] of others) {
      const snap = baselineSnapshot(device.hostname, device.os);
      snap.collectedAt = new Date().toISOString();
      await fileTicket(server.url, device, {
        subject,
        description: 'Details in the snapshot.',
        category: 'software',
        urgency,
        impact,
        requester: { name: 'Sam Lee', email: null },
        snapshot: snap,
      });
    }
    // IT's registered support groups: the ticket page offers them for its group field.
    for (const [name, tier] of [
      ['tier1', 1],
      ['tier2', 2],
    ] as const) {
      const created = await staff.request('POST', '/api/v1/groups', { name, tier });
      if (created.status !== 201) throw new Error(`group ${name}: ${created.status} ${JSON.stringify(created.body)}`);
    }
    const article = await staff.request('POST', '/api/v1/articles', {
      title: 'Free up disk space',
      body: 'Empty the **Downloads** folder and run `sudo apt clean`.',
      tags: ['disk-space'],
      status: 'published',
    });
    if (article.status !== 201) throw new Error(`article: ${article.status}`);
    return { server, staff, laptop, ticketId: ticket.id, snapshotId: ticket.snapshotId ?? 0, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
