import { expect, test, type Page } from '@playwright/test';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { cliEnvironment } from '../../helpers/cli';
import { missingXPrograms, startXev, startXvfb, type XDisplay, type XevWindow } from '../../helpers/x-display';
import { ADMIN, createEnrollSecret, startServer, staffClient, type RunningServer } from '../support/server';

/*
 * Remote control in the console, end to end on this machine: the built server, the headless daemon
 * (`deskside agent run`) with IT's explicit unattended policy and x11vnc on a private Xvfb display showing
 * xev, and the console in Chromium. The technician asks for control on the device's page; the console's
 * noVNC connects through the server's relay and the daemon's tunnel, the canvas shows the X screen (more
 * than one colour: xev's window on the root), a key typed in the page reaches xev, and Stop ends it. The
 * clipboard panel is checked both ways against the X CLIPBOARD selection, read and set with xclip.
 */

const missing = missingXPrograms();
test.skip(missing.length > 0, `remote control needs ${missing.join(', ')} (apt-get install -y xvfb x11vnc x11-utils)`);
test.describe.configure({ mode: 'serial' });
const hasXclip = spawnSync('sh', ['-c', 'command -v xclip']).status === 0;
const run = promisify(execFile);

let server: RunningServer;
let x: XDisplay;
let xev: XevWindow;
let daemon: ChildProcess;
let dir: string;
let deviceId: string;

test.beforeAll(async () => {
  x = await startXvfb(800, 600);
  xev = await startXev(x.display, 500, 400);
  server = await startServer();
  const secret = await createEnrollSecret(server.url);
  dir = await mkdtemp(join(tmpdir(), 'deskside-remote-e2e-'));
  const config = join(dir, 'config.json');
  await writeFile(
    config,
    JSON.stringify({
      serverUrl: server.url,
      enrollSecret: secret,
      remoteControl: { consent: 'unattended', vnc: { server: 'x11vnc', display: x.display } },
    }),
  );
  daemon = spawn(process.execPath, ['bin/deskside.js', 'agent', 'run', '--data-dir', join(dir, 'agent')], {
    env: cliEnvironment({ DESKSIDE_AGENT_CONFIG: config }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  daemon.stderr?.resume();
  deviceId = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the daemon did not enroll')), 20_000);
    createInterface({ input: daemon.stdout! }).on('line', (text) => {
      const line = JSON.parse(text) as { msg: string; fields?: { deviceId?: string } };
      if (line.msg === 'enrollment enrolled' && line.fields?.deviceId) {
        clearTimeout(timer);
        resolve(line.fields.deviceId);
      }
    });
  });
  const staff = await staffClient(server.url);
  await expect
    .poll(async () => (await staff.request<{ online: boolean }>('GET', `/api/v1/devices/${deviceId}`)).body.online, {
      timeout: 20_000,
    })
    .toBe(true);
});

test.afterAll(async () => {
  if (daemon && daemon.exitCode === null) {
    const exited = new Promise((r) => daemon.once('exit', r));
    daemon.kill('SIGTERM');
    await exited;
  }
  await server?.stop();
  await xev?.stop();
  await x?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Distinct colours in the noVNC canvas (sampled), read in the page. */
function canvasColours(page: Page): Promise<number> {
  return page.locator('[data-testid="remote-screen"] canvas').evaluate((element) => {
    // The tests are typed without the DOM: the part of HTMLCanvasElement used here.
    const canvas = element as unknown as {
      width: number;
      height: number;
      getContext(
        kind: '2d',
      ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
    };
    const ctx = canvas.getContext('2d');
    if (!ctx || canvas.width === 0) return 0;
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4 * 97) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return seen.size;
  });
}

/** Signs in on the device's page and takes control; resolves when noVNC is connected. */
async function takeControl(page: Page, reason: string): Promise<void> {
  await page.goto(`${server.url}/devices/${deviceId}`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Why (the employee reads this)').fill(reason);
  await page.getByRole('button', { name: 'Take control' }).click();
  await expect(page).toHaveURL(/\/remote\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('status')).toContainText('you control the screen', { timeout: 20_000 });
}

test('the technician takes control from the device page: noVNC shows the screen, a key reaches the program, Stop ends it', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${server.url}/devices/${deviceId}`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await page.getByLabel('Why (the employee reads this)').fill('Check the mail settings with you');
  await page.getByRole('button', { name: 'Take control' }).click();
  await expect(page).toHaveURL(/\/remote\/[0-9a-f-]{36}$/);
  const status = page.getByRole('status');
  await expect(status).toContainText('you control the screen', { timeout: 20_000 });
  await expect(page.getByText("Allowed by IT's policy")).toBeVisible();

  // The framebuffer arrives after the handshake: wait for a screen of more than one colour.
  await expect.poll(() => canvasColours(page), { timeout: 15_000 }).toBeGreaterThan(1);
  await page.screenshot({ path: 'test-results/screenshots/console-remote-control.png' });

  // Focus the screen over xev's window (it sits at the top-left) and type.
  const canvas = page.locator('[data-testid="remote-screen"] canvas');
  const box = (await canvas.boundingBox())!;
  await page.mouse.click(box.x + 60, box.y + 60);
  await page.keyboard.press('z');
  await xev.waitForKey('0x7a, z');
  await expect(page.getByRole('button', { name: 'Send Ctrl+Alt+Del' })).toBeEnabled();

  // A reload: the tab's one-time token is used, so the page joins again (a fresh token) and noVNC connects to a
  // fresh connection of the same x11vnc; the session went on meanwhile.
  await page.reload();
  await expect(status).toContainText('you control the screen', { timeout: 20_000 });
  await expect.poll(() => canvasColours(page), { timeout: 15_000 }).toBeGreaterThan(1);
  const again = (await canvas.boundingBox())!;
  await page.mouse.click(again.x + 60, again.y + 60);
  await page.keyboard.press('y');
  await xev.waitForKey('0x79, y');

  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(status).toContainText('Ended', { timeout: 10_000 });
  expect(errors).toEqual([]);
  await context.close();
});

test('the clipboard panel: a paste reaches the X clipboard, a copy on the device reaches the panel', async ({
  browser,
}) => {
  test.skip(!hasXclip, 'the clipboard check reads and sets the X selection with xclip (apt-get install -y xclip)');
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await takeControl(page, 'Paste the VPN address for you');
  // As a technician would: paste once the screen shows.
  await expect.poll(() => canvasColours(page), { timeout: 15_000 }).toBeGreaterThan(1);

  // Console → device: RFB ClientCutText; x11vnc sets CLIPBOARD (and PRIMARY).
  const toDevice = `vpn.example.com:443 ${Date.now()} café`;
  const send = page.getByRole('button', { name: 'Send to the device' });
  await page.getByLabel('Paste on the device').fill(toDevice);
  await expect(send).toBeEnabled();
  await send.click();
  // x11vnc holds the text as ISO 8859-1 and offers it as STRING (RFB's classic cut text).
  const clipboard = async () => {
    try {
      const { stdout } = await run('xclip', ['-o', '-selection', 'clipboard', '-t', 'STRING', '-display', x.display], {
        timeout: 5000,
        encoding: 'latin1',
      });
      return stdout;
    } catch (error) {
      return `xclip failed: ${(error as Error).message}`; // no owner yet
    }
  };
  await expect.poll(clipboard, { timeout: 15_000 }).toBe(toDevice);

  // Device → console: the employee copies (xclip owns CLIPBOARD), x11vnc sends ServerCutText, noVNC's event.
  // x11vnc sends selections only from 15 s after the viewer connected (its fixed sel_waittime).
  const fromDevice = `ticket #${Date.now()}: printer floor 2`;
  const owner = spawn('xclip', ['-quiet', '-i', '-selection', 'clipboard', '-display', x.display], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  owner.stdin!.end(fromDevice);
  try {
    await expect(page.getByRole('textbox', { name: 'Copied on the device' })).toHaveValue(fromDevice, {
      timeout: 30_000,
    });
  } finally {
    if (owner.exitCode === null) owner.kill('SIGTERM');
  }
  await page.screenshot({ path: 'test-results/screenshots/console-remote-clipboard.png' });

  // View only (switched in the page): noVNC sends nothing, so the button is off.
  await page.getByLabel('View only').check();
  await expect(send).toBeDisabled();

  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByRole('status')).toContainText('Ended', { timeout: 10_000 });
  expect(errors).toEqual([]);
  await context.close();
});
