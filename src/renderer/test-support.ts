import { cleanup, render, type RenderResult } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, expect } from 'vitest';
import type { Route } from '../shared/ipc/contract';
import type { FakeBridge } from '../../test/fakes/deskside-bridge.fake';
import { App } from './App';

/*
 * Component tests of the employee window render the whole window (navigation, live region, the
 * screen) over a fake `window.deskside` (test/fakes/deskside-bridge.fake.ts). Not part of the bundle:
 * nothing the window loads imports this file.
 */

let current: FakeBridge | null = null;

/** Registers the per-test cleanup: unmount, drop the bridge, and fail on handler errors or contract drift. */
export function setupWindowTests(): void {
  afterEach(() => {
    cleanup();
    const fake = current;
    current = null;
    delete window.deskside;
    expect(fake?.unexpected ?? []).toEqual([]);
  });
}

/** Renders the window at `route` over `fake`. */
export function renderWindow(fake: FakeBridge, route: Route = { screen: 'home' }): RenderResult {
  current = fake;
  window.deskside = fake.bridge;
  // jsdom has no layout: the window scrolls <main> to the top after each navigation.
  Element.prototype.scrollTo ??= () => {};
  return render(createElement(App, { initialRoute: route }));
}
