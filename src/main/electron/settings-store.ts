import Store from 'electron-store';
import type { SettingsStore } from '../services/agent-platform';

/*
 * The SettingsStore the core uses, over electron-store (a JSON file in the user-data folder, written
 * atomically). Dotted keys ("privacy.redact") address nested values, as in the JSON store the CLI uses.
 */

/** Opens the agent's settings file (settings.json) in `cwd` (the user-data folder). */
export function createElectronSettingsStore(cwd: string): SettingsStore {
  const store = new Store<Record<string, unknown>>({ name: 'settings', cwd, clearInvalidConfig: true });
  return {
    get: (key) => store.get(key),
    set: (key, value) => {
      if (value === undefined) store.delete(key);
      else store.set(key, value);
    },
  };
}
