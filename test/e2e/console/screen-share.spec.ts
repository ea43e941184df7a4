import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import config, { CHROMIUM_ARGS } from '../../../playwright.config';
import { createFixtureCollector } from '../../fakes/agent-platform.fake';
import { startCoturn, turnserverPath, type Coturn } from '../../helpers/coturn';
import type { ShareOverlayMessage } from '../../../src/shared/remote/share-overlay';
import {
  attachOverlay,
  attachWindow,
  startAgent,
  waitFor,
  type AgentHarness,
  type OverlayState,
} from '../agent/transport';
import { startCommandDesk, type CommandDesk } from './support-commands';

/*
 * Screen share end to end in Chromium (issue 13): the technician in the built console asks to see the
 * screen from the ticket; the employee's window (the built renderer on the real agent core, through the test
 * transport) shows the prompt, the employee allows and picks a screen, and the window captures Chromium's
 * fake screen (--use-fake-ui-for-media-stream --use-fake-device-for-media-stream: getDisplayMedia gives a
 * generated 1280×720 picture) and offers it. Signaling goes through the real server (the built CLI) on the
 * agent's live channel and the console's signaling socket; the media goes between the two pages over
 * WebRTC: first directly on this machine, then only through coturn (relay-only ICE, the selected candidate
 * pair read with getStats). mDNS host names are off so Chromium sends nothing to the network.
 *
 * The technician's pointer and annotations: drawn in the console over the picture, they go on the overlay data
 * channel to the employee's window, through the real core's `share:overlay` (validated, rate-bounded) to the
 * host's overlay, here a third page showing the built overlay (dist/renderer/overlay.html) as the Electron
 * glue would, at the fake screen's size: its canvas pixels are checked.
 */

const MEDIA_ARGS = [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  // No *.local host candidates: resolving them would send multicast DNS onto the network.
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];
test.use({ launchOptions: { ...config.use?.launchOptions, args: [...CHROMIUM_ARGS, ...MEDIA_ARGS] } });
test.describe.configure({ mode: 'serial' });

const SHOTS = process.env.DESKSIDE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots';
const TURN_SECRET = 'screen-share-e2e-turn-secret';

/** The help desk, the technician's console and the employee of one describe block. */
interface Scene {
  desk: CommandDesk;
  consoleContext: BrowserContext;
  console: Page;
  agent: AgentHarness;
  windowContext: BrowserContext;
  window: Page;
  ticketId: number;
  /** What the host glue was told: the source chosen, the overlay messages to draw. */
  chosen: Array<string | null>;
  drawn: ShareOverlayMessage[];
  /** The overlay window's page (1280×720, the fake screen's size) and what its canvas shows. */
  overlayContext: BrowserContext;
  overlay: Page;
  overlayState(): Promise<OverlayState>;
  problems: string[];
}

function watch(page: Page, who: string, problems: string[]): void {
  page.on('pageerror', (error) => problems.push(`${who} pageerror: ${error.message}`));
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`${who}: ${m.text()}`)));
}

async function setUp(browser: Browser, env: NodeJS.ProcessEnv = {}): Promise<Scene> {
  const desk = await startCommandDesk({ env });
  const problems: string[] = [];
  const chosen: Scene['chosen'] = [];
  const drawn: Scene['drawn'] = [];
  // The overlay window's page: created first, so the glue can draw into it from the first message.
  const overlayContext = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const overlay = await overlayContext.newPage();
  watch(overlay, 'overlay', problems);
  const overlayBridge = await attachOverlay(overlay);
  await overlay.goto(`${desk.rendererUrl}overlay.html`);
  await expect(overlay.locator('html')).toHaveAttribute('data-ready', 'true');
  const agent = await startAgent({
    serverUrl: desk.server.url,
    enrollSecret: desk.secret,
    collector: createFixtureCollector(),
    screenShare: {
      sources: async () => [
        { id: 'screen:0:0', name: 'Entire screen', kind: 'screen', thumbnail: null },
        { id: 'window:4242:0', name: 'Mail — Inbox', kind: 'window', thumbnail: null },
      ],
      choose: (id) => void chosen.push(id),
      overlay: (m) => {
        drawn.push(m);
        void overlayBridge.draw(m);
      },
    },
  });
  const filed = await agent.invoke('ticket:submit', {
    subject: 'The mail client shows an error',
    category: 'software',
    urgency: 'medium',
  });
  if (!filed.ok) throw new Error(`ticket:submit: ${filed.error.message}`);
  let ticketId = 0;
  await waitFor('the ticket on the server', async () => {
    const list = await agent.invoke('tickets:list', {});
    ticketId = (list.ok && list.value.tickets[0]?.id) || 0;
    return ticketId > 0;
  });
  const windowContext = await browser.newContext({ viewport: { width: 960, height: 680 } });
  const window = await windowContext.newPage();
  watch(window, 'agent window', problems);
  await attachWindow(window, agent);
  await window.goto(desk.rendererUrl);
  await expect(window.getByRole('navigation', { name: 'Deskside' })).toBeVisible();

  const consoleContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Test-side only: keep the console's data channels reachable, to send what a broken or hostile console would.
  await consoleContext.addInitScript({
    content: `(() => {
      const Original = window.RTCPeerConnection;
      window.__shareChannels = [];
      window.RTCPeerConnection = class extends Original {
        constructor(...args) {
          super(...args);
          this.addEventListener('datachannel', (e) => window.__shareChannels.push(e.channel));
        }
      };
    })();`,
  });
  const consolePage = await consoleContext.newPage();
  watch(consolePage, 'console', problems);
  await consolePage.goto(desk.server.url);
  await desk.signIn(consolePage);
  await expect(consolePage.getByRole('heading', { name: 'Queue' })).toBeVisible();
  return {
    desk,
    consoleContext,
    console: consolePage,
    agent,
    windowContext,
    window,
    ticketId,
    chosen,
    drawn,
    overlayContext,
    overlay,
    overlayState: overlayBridge.state,
    problems,
  };
}

async function tearDown(scene: Scene | undefined): Promise<void> {
  await scene?.windowContext.close();
  await scene?.overlayContext.close();
  await scene?.consoleContext.close();
  await scene?.agent.stop();
  await scene?.desk.stop();
}

/** The technician asks to see the screen from the ticket's Device tab; the session page opens. */
async function askToShare(scene: Scene, reason = 'Look at the error message with you'): Promise<void> {
  await scene.console.goto(`${scene.desk.server.url}/tickets/${scene.ticketId}?tab=device`);
  await scene.console.getByLabel('Why (the employee reads this)').fill(reason);
  await scene.console.getByRole('button', { name: 'Share screen (WebRTC)' }).click();
  await expect(scene.console).toHaveURL(/\/share\/[0-9a-f-]{36}$/);
}

const consent = (window: Page) => window.getByRole('alertdialog', { name: /asks to see your screen/ });

/** The <video> in the console: its size, its clock and the frames it decoded. */
function videoState(page: Page): Promise<{ width: number; height: number; time: number; frames: number }> {
  return page.getByTestId('share-video').evaluate((element) => {
    // The tests are typed without the DOM: the part of HTMLVideoElement used here.
    const v = element as unknown as {
      videoWidth: number;
      videoHeight: number;
      currentTime: number;
      getVideoPlaybackQuality(): { totalVideoFrames: number };
    };
    return {
      width: v.videoWidth,
      height: v.videoHeight,
      time: v.currentTime,
      frames: v.getVideoPlaybackQuality().totalVideoFrames,
    };
  });
}

/** Frames arrive and keep arriving: a picture of the fake screen's size, its clock and frame count advancing. */
async function expectPlaying(page: Page): Promise<void> {
  await expect.poll(async () => (await videoState(page)).width, { timeout: 20_000 }).toBeGreaterThan(0);
  const first = await videoState(page);
  expect(first.width / first.height).toBeCloseTo(16 / 9, 1);
  await expect
    .poll(async () => {
      const now = await videoState(page);
      return now.frames - first.frames >= 10 && now.time > first.time;
    })
    .toBe(true);
}

/** Sends raw text on the console's overlay data channel (as a broken or hostile console would); its state. */
function sendRaw(page: Page, messages: string[]): Promise<string[]> {
  return page.evaluate((list) => {
    const channels = (
      globalThis as unknown as { __shareChannels: Array<{ label: string; readyState: string; send(d: string): void }> }
    ).__shareChannels;
    const overlay = channels.filter((c) => c.label === 'deskside-overlay').at(-1);
    if (!overlay) return ['none'];
    if (overlay.readyState !== 'open') return [overlay.readyState];
    for (const m of list) overlay.send(m);
    return ['sent'];
  }, messages);
}

/** Whether the overlay's canvas has a pixel of this colour (within `tolerance`) within `radius` px of (x, y). */
function overlayHasColour(
  page: Page,
  at: { x: number; y: number },
  rgb: [number, number, number],
  radius = 4,
  tolerance = 60,
): Promise<boolean> {
  return page.locator('#overlay').evaluate(
    (element, { at, rgb, radius, tolerance }) => {
      const canvas = element as unknown as {
        width: number;
        height: number;
        getContext(kind: '2d'): {
          getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
        };
      };
      const x = Math.round(at.x * canvas.width);
      const y = Math.round(at.y * canvas.height);
      const { data } = canvas.getContext('2d').getImageData(x - radius, y - radius, radius * 2 + 1, radius * 2 + 1);
      for (let i = 0; i < data.length; i += 4)
        if (
          data[i + 3]! > 200 &&
          Math.abs(data[i]! - rgb[0]) < tolerance &&
          Math.abs(data[i + 1]! - rgb[1]) < tolerance &&
          Math.abs(data[i + 2]! - rgb[2]) < tolerance
        )
          return true;
      return false;
    },
    { at, rgb, radius, tolerance },
  );
}

const RED: [number, number, number] = [0xe5, 0x39, 0x35];
const BLUE: [number, number, number] = [0x1e, 0x88, 0xe5];

/**
 * The technician's pointer and annotations: drawn in the console, they reach the overlay over the employee's
 * screen at the same fractions of the picture; invalid messages are dropped; Clear removes them all.
 */
async function drawOnTheScreen(s: Scene): Promise<void> {
  const canvas = s.console.getByTestId('share-annotations');
  await expect(canvas).toBeVisible();
  const box = (await canvas.boundingBox())!;
  const video = (await s.console.getByTestId('share-video').boundingBox())!;
  // The canvas lies on the picture: its aspect is the picture's (16:9), inside the <video> element.
  expect(box.width / box.height).toBeCloseTo(16 / 9, 1);
  expect(box.x).toBeGreaterThanOrEqual(video.x - 1);
  const point = (x: number, y: number) => ({ x: box.x + x * box.width, y: box.y + y * box.height });
  const tools = s.console.getByRole('toolbar', { name: "Draw on the employee's screen" });

  // The pointer, live: it shows on the overlay at the same fraction of the screen.
  await tools.getByRole('radio', { name: 'Pointer' }).check();
  const p = point(0.3, 0.6);
  await s.console.mouse.move(p.x - 20, p.y - 20);
  await s.console.mouse.move(p.x, p.y, { steps: 4 });
  await expect.poll(async () => (await s.overlayState()).pointer).not.toBe('');
  await expect
    .poll(async () => {
      const [x, y] = (await s.overlayState()).pointer.split(',').map(Number);
      return Math.abs(x! - 0.3) < 0.01 && Math.abs(y! - 0.6) < 0.01;
    })
    .toBe(true);
  expect(await overlayHasColour(s.overlay, { x: 0.3, y: 0.6 }, RED, 14)).toBe(true);

  // A red pen stroke across the middle of the screen.
  await tools.getByRole('radio', { name: 'Pen' }).check();
  const a = point(0.2, 0.5);
  const b = point(0.8, 0.5);
  await s.console.mouse.move(a.x, a.y);
  await s.console.mouse.down();
  await s.console.mouse.move(b.x, b.y, { steps: 30 });
  await s.console.mouse.up();
  await expect.poll(async () => (await s.overlayState()).annotations).toBe(1);
  const pen = s.drawn.filter((m): m is Extract<ShareOverlayMessage, { type: 'pen' }> => m.type === 'pen');
  expect(pen.at(-1)!.done).toBe(true);
  for (const x of [0.25, 0.5, 0.75])
    expect(await overlayHasColour(s.overlay, { x, y: 0.5 }, RED), `red at ${x}`).toBe(true);
  expect(await overlayHasColour(s.overlay, { x: 0.5, y: 0.2 }, RED, 10)).toBe(false);
  // The console shows the same stroke over its picture.
  await expect(canvas).toHaveAttribute('data-annotations', '1');

  // A blue circle around a spot, and an arrow pointing at it.
  await tools.getByRole('radio', { name: 'Blue' }).check();
  await tools.getByRole('radio', { name: 'Circle' }).check();
  const c1 = point(0.62, 0.18);
  const c2 = point(0.78, 0.36);
  await s.console.mouse.move(c1.x, c1.y);
  await s.console.mouse.down();
  await s.console.mouse.move(c2.x, c2.y, { steps: 8 });
  await s.console.mouse.up();
  await tools.getByRole('radio', { name: 'Red' }).check();
  await tools.getByRole('radio', { name: 'Arrow' }).check();
  const t1 = point(0.4, 0.32);
  const t2 = point(0.6, 0.27);
  await s.console.mouse.move(t1.x, t1.y);
  await s.console.mouse.down();
  await s.console.mouse.move(t2.x, t2.y, { steps: 8 });
  await s.console.mouse.up();
  await expect.poll(async () => (await s.overlayState()).annotations).toBe(3);
  // The circle's leftmost point, on its edge: blue.
  expect(await overlayHasColour(s.overlay, { x: 0.62, y: 0.27 }, BLUE)).toBe(true);

  // What a broken or hostile console sends is dropped: nothing of it is drawn; a valid message after it is.
  await s.console.mouse.move(box.x + box.width + 100, box.y - 40);
  await expect.poll(async () => (await s.overlayState()).pointer).toBe('');
  const before = s.drawn.length;
  const sentinel = { type: 'pointer', x: 0.9, y: 0.1 };
  expect(
    await sendRaw(s.console, [
      'not json',
      JSON.stringify({ type: 'pointer', x: 5, y: 0.5 }),
      JSON.stringify({ type: 'pen', id: 99, color: 'black', fade: false, points: [[0.5, 0.9]], done: true }),
      JSON.stringify({ type: 'clear', everything: true }),
      JSON.stringify({ type: 'run', command: 'calc.exe' }),
      JSON.stringify({ type: 'pointer', x: 0.5, y: 0.5, pad: 'x'.repeat(5000) }),
      JSON.stringify(sentinel),
    ]),
  ).toEqual(['sent']);
  await expect.poll(() => s.drawn.length).toBe(before + 1);
  expect(s.drawn.at(-1)).toEqual(sentinel);
  await expect.poll(async () => (await s.overlayState()).pointer).toBe('0.9000,0.1000');
  expect((await s.overlayState()).annotations).toBe(3);
  expect(await sendRaw(s.console, [JSON.stringify({ type: 'pointer-hide' })])).toEqual(['sent']);
  await expect.poll(async () => (await s.overlayState()).pointer).toBe('');

  // Screenshots: the console with the drawings, the technician's pointer on the circle; and the overlay as the
  // employee sees it over their screen (the overlay is transparent: the picture behind it is the shared frame).
  await tools.getByRole('radio', { name: 'Pointer' }).check();
  const aim = point(0.7, 0.27);
  await s.console.mouse.move(aim.x - 30, aim.y + 30);
  await s.console.mouse.move(aim.x, aim.y, { steps: 4 });
  await expect.poll(async () => (await s.overlayState()).pointer).toMatch(/^0\.7\d*,0\.2[67]/);
  await s.console.screenshot({ path: `${SHOTS}/console-share-annotations.png`, animations: 'disabled' });
  // (The tests are typed without the DOM: the browser side as text.)
  const frame = await s.console.evaluate<string>(`(() => {
    const v = document.querySelector('[data-testid="share-video"]');
    const c = document.createElement('canvas');
    c.width = v.videoWidth;
    c.height = v.videoHeight;
    c.getContext('2d').drawImage(v, 0, 0);
    return c.toDataURL('image/png');
  })()`);
  expect(frame.length).toBeGreaterThan(10_000);
  // Behind the transparent overlay, the shared frame (loaded before the screenshot is taken).
  const behind = await s.overlay.evaluate<string>(`new Promise((done) => {
    const image = document.createElement('img');
    image.id = 'shared-frame';
    image.alt = '';
    image.onload = () => requestAnimationFrame(() => requestAnimationFrame(() => done('loaded')));
    image.onerror = () => done('error');
    image.src = ${JSON.stringify(frame)};
    Object.assign(image.style, { position: 'fixed', inset: '0', width: '100vw', height: '100vh' });
    document.body.prepend(image);
  })`);
  expect(behind).toBe('loaded');
  await s.overlay.screenshot({ path: `${SHOTS}/agent-share-overlay.png`, animations: 'disabled' });
  await s.overlay.evaluate(`document.getElementById('shared-frame').remove()`);

  // Undo takes the arrow away, Clear the rest, on both sides.
  await tools.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(async () => (await s.overlayState()).annotations).toBe(2);
  await tools.getByRole('button', { name: 'Clear all' }).click();
  await expect.poll(async () => (await s.overlayState()).annotations).toBe(0);
  await expect(canvas).toHaveAttribute('data-annotations', '0');
  expect(await overlayHasColour(s.overlay, { x: 0.5, y: 0.5 }, RED)).toBe(false);
}

test.describe('over this machine directly', () => {
  let scene: Scene | undefined;
  test.beforeAll(async ({ browser }) => {
    scene = await setUp(browser);
  });
  test.afterAll(async () => tearDown(scene));
  test.afterEach(() => expect(scene?.problems ?? [], 'no console or page errors in either page').toEqual([]));

  test('the employee allows and picks a screen; the console plays it, the chat goes both ways, the pointer and drawings reach the overlay, Stop ends it', async () => {
    const s = scene!;
    await askToShare(s);
    const status = s.console.getByRole('status');
    const prompt = consent(s.window);
    await expect(prompt).toBeVisible();
    await expect(prompt.getByRole('heading')).toHaveText(`${s.desk.staffName} asks to see your screen`);
    await expect(prompt).toContainText('Why: Look at the error message with you');
    await expect(prompt).toContainText(`About ticket #${s.ticketId}.`);
    await expect(status).toHaveText('Waiting for the employee to allow it and choose what to share…');
    // Nothing plays before the employee allows.
    expect((await videoState(s.console)).width).toBe(0);

    await prompt.getByRole('radio', { name: 'Window: Mail — Inbox' }).check();
    await s.window.screenshot({ path: `${SHOTS}/agent-screen-share-consent.png`, animations: 'disabled' });
    await prompt.getByRole('button', { name: 'Allow' }).click();
    await expect(prompt).toBeHidden();
    expect(s.chosen).toEqual(['window:4242:0']);

    const indicator = s.window.getByRole('region', { name: 'Screen sharing' });
    await expect(indicator.getByRole('status')).toContainText(`Your screen is shared with ${s.desk.staffName}`);
    await expect(status).toContainText('Connected', { timeout: 20_000 });
    await expectPlaying(s.console);
    await expect(indicator.getByRole('status')).toContainText('they can see it now');
    await expect(status).toContainText('(direct)');

    // The session chat, both ways.
    const chat = s.console.getByRole('complementary', { name: 'Session chat' });
    await chat.getByLabel('Message to the employee').fill('I see the error. Click Settings, top right.');
    await chat.getByRole('button', { name: 'Send' }).click();
    await expect(indicator.getByRole('list', { name: 'Session chat' })).toContainText(
      `${s.desk.staffName}: I see the error. Click Settings, top right.`,
    );
    await indicator.getByLabel(`Message to ${s.desk.staffName}`).fill('Done, it is open');
    await indicator.getByRole('button', { name: 'Send' }).click();
    await expect(chat).toContainText('Employee: Done, it is open');

    await drawOnTheScreen(s);

    await s.console.mouse.move(0, 0);
    await s.console.screenshot({ path: `${SHOTS}/console-screen-share.png`, animations: 'disabled' });
    await s.window.screenshot({ path: `${SHOTS}/agent-screen-share-indicator.png`, animations: 'disabled' });

    // The employee stops: the console says so and the picture stops.
    await indicator.getByRole('button', { name: 'Stop sharing' }).click();
    await expect(indicator).toBeHidden();
    await expect(status).toHaveText('Ended: the employee stopped it', { timeout: 10_000 });
    expect(s.chosen.at(-1)).toBeNull();
    // After Stop nothing reaches the overlay: the tools are off, and the console's overlay channel is closed.
    const before = s.drawn.length;
    const tools = s.console.getByRole('toolbar', { name: "Draw on the employee's screen" });
    await expect(tools.getByRole('button', { name: 'Clear all' })).toBeDisabled();
    const canvas = (await s.console.getByTestId('share-annotations').boundingBox())!;
    await s.console.mouse.move(canvas.x + 50, canvas.y + 50);
    await s.console.mouse.down();
    await s.console.mouse.move(canvas.x + 200, canvas.y + 150, { steps: 5 });
    await s.console.mouse.up();
    expect(await sendRaw(s.console, [JSON.stringify({ type: 'pointer', x: 0.5, y: 0.5 })])).toEqual(['closed']);
    await s.console.waitForTimeout(500);
    expect(s.drawn.length).toBe(before);
    const frozen = (await videoState(s.console)).frames;
    await s.console.waitForTimeout(1000);
    expect((await videoState(s.console)).frames - frozen).toBeLessThan(3);

    // The ticket keeps the record: an internal note with who asked, the employee's consent and the times.
    await s.console.goto(`${s.desk.server.url}/tickets/${s.ticketId}`);
    await expect(s.console.getByText(/Screen share \(WebRTC\) session ended/)).toBeVisible();
  });

  test('no consent: a denied request shows nothing, and the technician can stop one before the answer', async () => {
    const s = scene!;
    await askToShare(s, 'Check the settings');
    await consent(s.window).getByRole('button', { name: 'Deny' }).click();
    const status = s.console.getByRole('status');
    await expect(status).toHaveText('Denied: the employee said no', { timeout: 10_000 });
    expect((await videoState(s.console)).width).toBe(0);

    await askToShare(s, 'Check the settings again');
    await expect(consent(s.window)).toBeVisible();
    await s.console.getByRole('button', { name: 'Stop' }).click();
    await expect(consent(s.window)).toBeHidden();
    await expect(status).toContainText('Ended', { timeout: 10_000 });
    await s.console.waitForTimeout(1000);
    expect((await videoState(s.console)).width).toBe(0);
    await expect(s.window.getByRole('region', { name: 'Screen sharing' })).toBeHidden();
  });
});

const coturn = turnserverPath();
test.describe('only through the TURN relay (coturn)', () => {
  test.skip(!coturn, 'coturn is not installed (apt-get install -y coturn): the relay-only screen share is not tested');
  let turn: Coturn | undefined;
  let scene: Scene | undefined;
  test.beforeAll(async ({ browser }) => {
    turn = await startCoturn(TURN_SECRET);
    scene = await setUp(browser, {
      DESKSIDE_TURN_URLS: turn.url,
      DESKSIDE_TURN_SECRET: TURN_SECRET,
      DESKSIDE_ICE_TRANSPORT_POLICY: 'relay',
    });
  });
  test.afterAll(async () => {
    await tearDown(scene);
    await turn?.stop();
  });
  test.afterEach(() => expect(scene?.problems ?? [], 'no console or page errors in either page').toEqual([]));

  test("relay-only ICE: the picture plays and the selected candidate pair is coturn's relay", async () => {
    const s = scene!;
    await askToShare(s);
    await consent(s.window).getByRole('radio', { name: 'Screen: Entire screen' }).check();
    await consent(s.window).getByRole('button', { name: 'Allow' }).click();
    const status = s.console.getByRole('status');
    await expect(status).toContainText('Connected', { timeout: 30_000 });
    await expectPlaying(s.console);
    await expect(status).toHaveAttribute('data-route', 'relay');
    await expect(status).toContainText('(through the TURN relay)');
    // coturn saw this session's credentials (username expiry:session id) and allocated relays.
    const sessionId = s.console.url().split('/').at(-1)!;
    expect(turn!.output()).toContain(sessionId);
    expect(turn!.output()).toMatch(/ALLOCATE processed, success/);
    await s.console.getByRole('button', { name: 'Stop' }).click();
    await expect(s.window.getByRole('region', { name: 'Screen sharing' })).toBeHidden();
  });
});
