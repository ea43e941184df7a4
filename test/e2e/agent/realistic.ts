import type { Browser, Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createOutboxStore } from '../../../src/main/services/outbox-store';
import type { SnapshotCollector } from '../../../src/main/services/snapshot.service';
import type { SectionName } from '../../../src/shared/snapshot';
import { healthySnapshot, withSection } from '../../fixtures/snapshot-factory';
import { createEnrollSecret, startServer, staffClient, type RunningServer, type StaffClient } from '../support/server';
import { attachWindow, serveRenderer, startAgent, waitFor, type AgentHarness, type PageProblems } from './transport';

/*
 * The employee window with the content a real employee would see on a busy day: five self-help
 * articles, two announcements, IT-managed branding, links and privacy keys, a laptop whose check
 * finds things (disk 96% full, up for 41 days), two tickets with staff replies (one solved), and a
 * request the help desk refused waiting in the outbox. Used by the screenshot and accessibility specs.
 */

export const ARTICLES = [
  {
    title: 'Printer on floor 2 does not print',
    body: '1. Open **Settings → Printers**.\n2. Remove `Floor2-HP`.\n3. Add it again and print a test page.\n\nStill stuck? Ask the help desk.',
    tags: ['printing'],
    findingCodes: [],
  },
  {
    title: 'Restart your computer regularly',
    body: 'Restarting installs updates and frees memory.\n\nSave your work, then choose **Restart** from the system menu.',
    tags: ['restart'],
    findingCodes: ['uptime.long', 'reboot.pending'],
  },
  {
    title: 'Why and how we encrypt laptops',
    body: 'Encryption protects company data if a laptop is lost.\n\nIT enables it for you; [read the policy](https://intranet.example.com/security/encryption).',
    tags: ['encryption', 'security'],
    findingCodes: ['security.disk_unencrypted'],
  },
  {
    title: 'Free up disk space',
    body: '- Empty the **Trash**\n- Clear your **Downloads** folder\n- Remove apps you no longer use',
    tags: ['disk-space'],
    findingCodes: ['disk.almost_full'],
  },
  {
    title: 'Connect to the VPN from home',
    body: 'Open the VPN client and sign in with your company account.',
    tags: ['vpn', 'network'],
    findingCodes: [],
  },
];

export const REFUSED_SUBJECT = 'Scanner software licence expired';

/** The fixture laptop with a nearly full disk and six weeks without a restart. */
function troubledLaptop(): ReturnType<typeof healthySnapshot> {
  const base = healthySnapshot();
  const filesystems = (base.sections.storage?.filesystems ?? []).map((f) =>
    f.mount === '/'
      ? {
          ...f,
          usedBytes: Math.round(f.sizeBytes * 0.96),
          availableBytes: Math.round(f.sizeBytes * 0.04),
          usePercent: 96,
        }
      : f,
  );
  const full = withSection(base, 'storage', { filesystems });
  return withSection(full, 'os', { uptimeSeconds: 41 * 24 * 3600 + 5 * 3600 });
}

/** Collects the troubled laptop, honouring left-out sections and redaction like the real collector. */
function troubledCollector(): SnapshotCollector {
  return {
    async collect(options: { omit?: readonly SectionName[]; redact?: boolean } = {}) {
      const snap = troubledLaptop();
      for (const name of options.omit ?? []) {
        delete snap.sections[name];
        snap.probes[name] = { status: 'omitted', durationMs: 0, error: null };
      }
      return { ...snap, redacted: options.redact === true };
    },
  };
}

/** Everything a realistic window test needs; `stop()` tears it all down. */
export interface RealisticWindow {
  server: RunningServer;
  staff: StaffClient;
  agent: AgentHarness;
  page: Page;
  problems: PageProblems;
  url: string;
  /** Ticket ids by short name. */
  tickets: { printer: number; outlook: number };
  stop(): Promise<void>;
}

async function publishContent(staff: StaffClient): Promise<void> {
  for (const article of ARTICLES) {
    const created = await staff.request('POST', '/api/v1/articles', { ...article, status: 'published' });
    if (created.status !== 201) throw new Error(`article: ${created.status} ${JSON.stringify(created.body)}`);
  }
  await staff.request('POST', '/api/v1/announcements', {
    title: 'Email is slow this morning',
    body: 'Our provider is working on it. Messages are delayed, **not lost**.',
    severity: 'warning',
    status: 'published',
  });
  await staff.request('POST', '/api/v1/announcements', {
    title: 'VPN maintenance on Saturday',
    body: 'The VPN is unavailable Saturday 08:00–10:00.',
    severity: 'info',
    status: 'published',
  });
}

async function fileTickets(agent: AgentHarness, staff: StaffClient): Promise<RealisticWindow['tickets']> {
  for (const subject of ['Outlook asks for my password every hour', 'The printer on floor 2 does not print']) {
    await agent.invoke('ticket:submit', {
      subject,
      description: 'Since this morning, after the update.',
      category: subject.includes('printer') ? 'printing' : 'email',
      urgency: 'medium',
      impact: 'low',
      excludeSections: [],
      includeSnapshot: true,
      screenshotId: null,
    });
  }
  await waitFor('tickets sent', async () => {
    const list = await agent.invoke('tickets:list', {});
    return list.ok && list.value.tickets.length === 2;
  });
  const queue = await staff.request<{ tickets: { id: number; subject: string }[] }>('GET', '/api/v1/tickets');
  const printer = queue.body.tickets.find((t) => t.subject.includes('printer'))!.id;
  const outlook = queue.body.tickets.find((t) => t.subject.includes('Outlook'))!.id;
  await staff.request('POST', `/api/v1/tickets/${printer}/messages`, {
    body: 'Thanks! Please try this:\n\n1. Open **Settings → Printers**\n2. Remove `Floor2-HP` and add it again\n\nThe [printing guide](https://intranet.example.com/print) has pictures.',
  });
  await staff.request('POST', `/api/v1/tickets/${outlook}/messages`, {
    body: 'I reset your mail profile; it should stop asking now.',
  });
  await staff.request('PATCH', `/api/v1/tickets/${outlook}`, { status: 'resolved' });
  await waitFor('replies marked unread', async () => agent.core.state().unread >= 2);
  return { printer, outlook };
}

/** A request the help desk refused (4xx), as the outbox keeps it on disk for Retry or Discard. */
async function refusedRequest(agent: AgentHarness): Promise<void> {
  // Written once, already refused: a queued record could be picked up by the sender in between.
  const store = createOutboxStore(join(agent.dataDir, 'outbox'));
  const createdAt = new Date(Date.now() - 3_600_000);
  await store.write({
    outboxId: `${createdAt.getTime().toString(36).padStart(9, '0')}-e2e0refused`,
    idempotencyKey: randomUUID(),
    subject: REFUSED_SUBJECT,
    createdAt: createdAt.toISOString(),
    state: 'rejected',
    attempts: 1,
    nextAttemptAt: null,
    error: 'This device is not allowed to file software tickets; call the help desk.',
    ticketId: null,
    sentAt: null,
    request: {
      subject: REFUSED_SUBJECT,
      description: 'The scanner app says my licence expired.',
      category: 'software',
      urgency: 'low',
      impact: 'low',
    },
  });
}

/** Starts the server, the agent and the window with realistic content, at 960×680. */
export async function startRealisticWindow(browser: Browser): Promise<RealisticWindow> {
  const server = await startServer();
  const staff = await staffClient(server.url);
  await publishContent(staff);
  const agent = await startAgent({
    serverUrl: server.url,
    enrollSecret: await createEnrollSecret(server.url),
    collector: troubledCollector(),
    managed: {
      branding: {
        name: 'Acme IT Help',
        supportEmail: 'helpdesk@acme.example',
        supportPhone: '+1 555 0100',
        supportUrl: 'https://help.acme.example',
      },
      links: [{ label: 'IT status page', url: 'https://status.acme.example' }],
      privacy: { redact: true, allowScreenshots: true },
    },
  });
  await waitFor('enrollment', () => agent.core.state().enrollment.state === 'enrolled');
  await waitFor('article sync', async () => {
    const list = await agent.invoke('articles:list', {});
    return list.ok && list.value.articles.length === ARTICLES.length;
  });
  const tickets = await fileTickets(agent, staff);
  await refusedRequest(agent);
  const site = await serveRenderer();
  // A context of its own (not browser.newPage): axe-core's Playwright runner needs one.
  const context = await browser.newContext({ viewport: { width: 960, height: 680 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems = await attachWindow(page, agent);
  return {
    server,
    staff,
    agent,
    page,
    problems,
    url: site.url,
    tickets,
    async stop() {
      await context.close();
      await agent.stop();
      await site.close();
      await server.stop();
    },
  };
}
