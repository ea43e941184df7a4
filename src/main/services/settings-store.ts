import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SettingsStore } from './agent-platform';
import { readJsonFileSync, writeFileAtomicSync } from './atomic-file';

/*
 * A SettingsStore over one JSON file, for the headless CLI and tests (the Electron app uses
 * electron-store). Keys may be dotted ("privacy.redact") like electron-store's. Every set is written
 * atomically (temp file, fsync, rename), so a crash never leaves half a settings file.
 */

type Tree = Record<string, unknown>;

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Opens (or creates on first write) a JSON settings file; an unreadable or corrupt file starts empty. */
export function createJsonSettingsStore(file: string): SettingsStore & { readonly file: string } {
  let data: Tree = {};
  try {
    const loaded = readJsonFileSync(file);
    if (isTree(loaded)) data = loaded;
  } catch {
    // A corrupt settings file must not stop the agent: defaults apply and the next set rewrites it.
  }
  return {
    file,
    get(key) {
      let node: unknown = data;
      for (const part of key.split('.')) {
        if (!isTree(node) || !Object.hasOwn(node, part)) return undefined;
        node = node[part];
      }
      return structuredClone(node);
    },
    set(key, value) {
      const next = structuredClone(data);
      const parts = key.split('.');
      let node = next;
      for (const part of parts.slice(0, -1)) {
        if (!isTree(node[part])) node[part] = {};
        node = node[part] as Tree;
      }
      const last = parts[parts.length - 1] as string;
      if (value === undefined) delete node[last];
      else node[last] = structuredClone(value);
      mkdirSync(dirname(file), { recursive: true });
      writeFileAtomicSync(file, `${JSON.stringify(next, null, 2)}\n`);
      data = next;
    },
  };
}
