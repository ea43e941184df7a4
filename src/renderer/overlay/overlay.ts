import { mountOverlay } from './overlay-view';
import './overlay.css';

/*
 * Entry of app://deskside/overlay.html, the screen-share overlay window (src/main/electron/screen-share.ts):
 * the canvas, fed by main's `share:overlay` events through the preload's bridge. It cannot invoke anything
 * (main answers only the agent window) and takes no input (the window ignores the mouse).
 */

const canvas = document.getElementById('overlay');
if (canvas instanceof HTMLCanvasElement) {
  const view = mountOverlay(canvas);
  window.addEventListener('resize', () => view.resize());
  window.deskside?.on('share:overlay', (message) => view.receive(message));
  document.documentElement.dataset.ready = 'true';
}
