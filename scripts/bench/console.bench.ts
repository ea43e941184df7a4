// The technician console's figures: bundle size, queue time-to-interactive with 10 000 open tickets,
// and opening a ticket with a full snapshot, in Debian's Chromium against the real built server.
// Run alone: npx tsx scripts/bench/console.bench.ts (builds dist/ first).
import { pathOf } from '../../src/shared/api/endpoint-routes';
import { chromium, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { formatBytes } from '../../src/shared/format';
import { openDatabase } from '../../src/server/db/database';
import { healthySnapshot } from '../../test/fixtures/snapshot-factory';
import { baselineSnapshot, enroll, fileTicket } from '../../test/e2e/console/support-agent';
import { ADMIN, createEnrollSecret, startServer } from '../../test/e2e/support/server';
import { seedTickets } from './server-seed';
import { median, printTable } from './stats';

/** The browser globals the in-page timers use (this file is type-checked without the DOM library). */
interface PageGlobals {
  __rowsAt?: number;
  document: { body: unknown; querySelector(selector: string): { click(): void } | null };
  MutationObserver: new (callback: () => void) => {
    observe(target: unknown, options: object): void;
    disconnect(): void;
  };
  requestAnimationFrame(callback: () => void): void;
}

/** seedTickets spreads statuses over five values; three of them are open. */
const SEEDED = 16_700;
const LOADS = 7;
const OPENS = 7;
const PACKAGES = 2500;

function bundleSizes(): { js: number; css: number; jsGz: number; cssGz: number; lazy: number; lazyGz: number } {
  const js = readFileSync('dist/console/app.js');
  const css = readFileSync('dist/console/app.css');
  // Admin pages (with recharts) are split into chunks the queue never loads.
  const chunks = readdirSync('dist/console/chunks')
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(`dist/console/chunks/${f}`));
  const lazy = chunks.reduce((sum, c) => sum + c.length, 0);
  const lazyGz = chunks.reduce((sum, c) => sum + gzipSync(c).length, 0);
  return { js: js.length, css: css.length, jsGz: gzipSync(js).length, cssGz: gzipSync(css).length, lazy, lazyGz };
}

/** Milliseconds from navigation start to the first queue rows in the DOM and painted. */
async function queueLoad(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  await page
    .waitForFunction(() => (globalThis as unknown as PageGlobals).__rowsAt !== undefined, undefined, {
      timeout: 20_000,
    })
    .catch(async (error: unknown) => {
      console.error('queue did not render:', (await page.content()).slice(0, 2000));
      throw error;
    });
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__rowsAt ?? 0);
}

/** Milliseconds from a click to `done` present and a frame painted (no named inner functions: tsx would wrap them in `__name`). */
function clickUntil(page: Page, click: string, done: string): Promise<number> {
  return page.evaluate(
    ([clickSelector, doneSelector]) =>
      new Promise<number>((resolve, reject) => {
        const g = globalThis as unknown as PageGlobals;
        const start = performance.now();
        const observer = new g.MutationObserver(() => {
          if (!g.document.querySelector(doneSelector)) return;
          observer.disconnect();
          g.requestAnimationFrame(() => resolve(performance.now() - start));
        });
        observer.observe(g.document.body, { subtree: true, childList: true });
        const target = g.document.querySelector(clickSelector);
        if (!target) reject(new Error(`nothing to click: ${clickSelector}`));
        else target.click();
        setTimeout(() => reject(new Error(`timed out waiting for ${doneSelector}`)), 15_000);
      }),
    [click, done] as const,
  );
}

/** Prints the console's figures; asserts nothing. */
export async function benchConsole(): Promise<void> {
  execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { stdio: 'inherit' });
  const size = bundleSizes();
  // A private copy of the build: another run in this checkout may rebuild dist/ while we measure.
  const consoleDir = await mkdtemp(join(tmpdir(), 'deskside-bench-console-'));
  await cp('dist/console', consoleDir, { recursive: true });
  const server = await startServer({ env: { DESKSIDE_CONSOLE_DIR: consoleDir } });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const db = openDatabase({ url: join(server.dataDir, 'deskside.db') });
    const seedStart = performance.now();
    await seedTickets(db, SEEDED, Date.now());
    const open = await db.kysely
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', 'in', ['new', 'open', 'pending'])
      .executeTakeFirstOrThrow();
    await db.destroy();
    const seedMs = performance.now() - seedStart;

    const device = await enroll(server.url, await createEnrollSecret(server.url), 'lt-bench-0001', {
      platform: 'linux',
      name: 'Ubuntu',
      version: '24.04',
    });
    const full = baselineSnapshot(device.hostname);
    const extra = Array.from({ length: PACKAGES }, (_, i) => ({
      name: `lib-bench-${i}`,
      version: `1.${i % 50}.${i % 7}-1`,
      source: 'dpkg' as const,
      publisher: 'Ubuntu Developers',
    }));
    full.sections.software = {
      ...healthySnapshot().sections.software!,
      packages: [...full.sections.software!.packages, ...extra],
    };
    full.collectedAt = new Date().toISOString();
    const subject = 'Benchmark ticket with a full snapshot';
    const ticket = await fileTicket(server.url, device, {
      subject,
      description: 'Laptop is slow since the update.',
      category: 'hardware',
      urgency: 'high',
      impact: 'high',
      snapshot: full,
    });
    const snapshotBytes = JSON.stringify(full).length;

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const login = await context.request.post(`${server.url}${pathOf('login')}`, { data: ADMIN });
    if (login.status() !== 200) throw new Error(`login failed: ${login.status()}`);
    // Records when the first queue row reaches the DOM, relative to navigation start, then a frame later.
    await context.addInitScript(`{
      const observer = new MutationObserver(() => {
        if (!document.querySelector('tr.queue-row')) return;
        observer.disconnect();
        requestAnimationFrame(() => { window.__rowsAt = performance.now(); });
      });
      observer.observe(document, { subtree: true, childList: true });
    }`);
    const page = await context.newPage();
    const loads: number[] = [];
    for (let i = 0; i < LOADS + 1; i++) loads.push(await queueLoad(page, `${server.url}/`));
    const [coldLoad = 0, ...warmLoads] = loads;
    const rows = await page.locator('tr.queue-row').count();
    // Where the last load's time went: when each resource finished, from navigation start.
    const timeline = await page.evaluate(() =>
      (
        performance.getEntriesByType('resource') as unknown as Array<{
          name: string;
          startTime: number;
          responseEnd: number;
        }>
      )
        .filter((e) => /\/app\.(js|css)$|\/api\/v1\/(auth\/session|tickets)/.test(e.name))
        .map((e) => `${new URL(e.name).pathname} ${Math.round(e.startTime)}→${Math.round(e.responseEnd)} ms`),
    );

    const opens: number[] = [];
    const snapshots: number[] = [];
    for (let i = 0; i < OPENS; i++) {
      await page.goto(`${server.url}/?q=${encodeURIComponent(subject)}`);
      await page
        .locator(`tr[data-ticket-id="${ticket.id}"]`)
        .waitFor()
        .catch(async (error: unknown) => {
          await page.screenshot({ path: '/tmp/bench-fail.png' });
          console.error(await page.locator('main').innerText());
          throw error;
        });
      opens.push(await clickUntil(page, `tr[data-ticket-id="${ticket.id}"] a.queue-link`, '.thread .msg-request'));
      snapshots.push(await clickUntil(page, 'a.tab[href$="?tab=snapshot"]', '#section-software tbody tr'));
    }
    await context.close();

    const ms = (n: number) => `${Math.round(n)} ms`;
    console.log(
      `\n## Console (Chromium ${browser.version()}, 1280×800; ${open.n} open of ${SEEDED} seeded tickets in ${ms(seedMs)}; snapshot ${formatBytes(snapshotBytes)} with ${PACKAGES + 35} packages)`,
    );
    printTable([
      ['measure', 'median', 'min', 'max', 'target'],
      ['bundle app.js (gzip)', formatBytes(size.jsGz), '', formatBytes(size.js), ''],
      ['bundle app.css (gzip)', formatBytes(size.cssGz), '', formatBytes(size.css), ''],
      ['lazy admin chunks (gzip, all)', formatBytes(size.lazyGz), '', formatBytes(size.lazy), ''],
      [
        `queue interactive, ${rows} rows (warm, ${LOADS} loads)`,
        ms(median(warmLoads)),
        ms(Math.min(...warmLoads)),
        ms(Math.max(...warmLoads)),
        '< 1000 ms',
      ],
      ['queue interactive, first load', ms(coldLoad), '', '', '< 1000 ms'],
      [
        `open ticket: click → thread (${OPENS}×)`,
        ms(median(opens)),
        ms(Math.min(...opens)),
        ms(Math.max(...opens)),
        '',
      ],
      [
        'snapshot tab: click → all sections',
        ms(median(snapshots)),
        ms(Math.min(...snapshots)),
        ms(Math.max(...snapshots)),
        '',
      ],
      ['open ticket + snapshot viewer', ms(median(opens) + median(snapshots)), '', '', '< 300 ms'],
    ]);
    console.log('(bundle rows: gzip size in "median", raw size in "max")');
    console.log(
      `open samples: ${opens.map(Math.round).join(', ')} ms; snapshot samples: ${snapshots.map(Math.round).join(', ')} ms`,
    );
    console.log(`last warm load: ${timeline.join(', ')}; rows painted at ${Math.round(loads.at(-1) ?? 0)} ms`);
  } finally {
    await browser.close();
    await server.stop();
    await rm(consoleDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchConsole();
  process.exit(0);
}
