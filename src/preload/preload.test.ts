import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { DesksideBridge } from '../shared/ipc/contract';
import { fakeElectron as fake } from '../main/electron/electron.fake';

vi.mock('electron', async () => (await import('../main/electron/electron.fake')).fakeElectron.module);

/* The preload against a fake ipcRenderer: exactly window.deskside, forwarding only contract names. */

let bridge: DesksideBridge;
beforeAll(async () => {
  await import('./preload');
  bridge = fake.exposed.get('deskside') as DesksideBridge;
});

describe('preload', () => {
  it('exposes only window.deskside with invoke and on, frozen', () => {
    expect([...fake.exposed.keys()]).toEqual(['deskside']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('forwards contract channels to ipcRenderer.invoke and refuses others without sending', async () => {
    await expect(bridge.invoke('tickets:get', { ticketId: 3 })).resolves.toEqual({
      ok: true,
      value: { echoed: 'tickets:get' },
    });
    await expect(bridge.invoke('ELECTRON_BROWSER_REQUIRE' as never, {} as never)).resolves.toMatchObject({
      ok: false,
      error: { code: 'unknown_channel' },
    });
    expect(fake.invoked).toEqual([['tickets:get', { ticketId: 3 }]]);
  });

  it('subscribes to contract events, hides the IPC event object, and unsubscribes', () => {
    const seen: unknown[] = [];
    const off = bridge.on('navigate', (payload) => seen.push(payload));
    const [listener] = [...fake.rendererListeners.get('navigate')!];
    listener!({ sender: 'ipc internals' }, { screen: 'help' });
    expect(seen).toEqual([{ screen: 'help' }]);
    off();
    expect(fake.rendererListeners.get('navigate')!.size).toBe(0);
    expect(bridge.on('ipc-internal' as never, () => {})).toBeTypeOf('function');
    expect(fake.rendererListeners.has('ipc-internal')).toBe(false);
  });
});
