import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS, ipcEvents } from '../shared/ipc/contract';
import { CHANNEL_NAMES, EVENT_NAMES, isKnownChannel, isKnownEvent } from './channels';

describe('preload channel lists', () => {
  it('name exactly the contract channels and events', () => {
    expect([...CHANNEL_NAMES].sort()).toEqual([...IPC_CHANNELS].sort());
    expect([...EVENT_NAMES].sort()).toEqual(Object.keys(ipcEvents).sort());
  });

  it('refuse anything else, including prototype keys', () => {
    expect(isKnownChannel('tickets:list')).toBe(true);
    expect(isKnownEvent('navigate')).toBe(true);
    for (const bad of [
      'constructor',
      '__proto__',
      'toString',
      'tickets',
      'ELECTRON_BROWSER_REQUIRE',
      '',
      1,
      null,
      undefined,
    ]) {
      expect(isKnownChannel(bad)).toBe(false);
      expect(isKnownEvent(bad)).toBe(false);
    }
  });
});
