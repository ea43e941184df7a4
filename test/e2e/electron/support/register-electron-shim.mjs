// `node --import ./register-electron-shim.mjs dist/main/main.js`: runs the built main process in
// plain Node with `electron` replaced by electron-shim.mjs (Electron's binary is not installed here).
import { register } from 'node:module';

register('./electron-hooks.mjs', import.meta.url);
