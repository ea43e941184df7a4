import { IpcError } from '../../shared/ipc/ipc-error';
import type { IpcParsedArg, SettingsView } from '../../shared/ipc/contract';
import { privacySettingsSchema, userSettingsSchema, type UserSettings } from '../../shared/ipc/settings';
import type { ManagedConfig, SettingsStore } from './agent-platform';

/*
 * Effective settings: defaults < the employee's own settings < IT's managed config (file, flags).
 * Keys IT fixed are listed as "managed" and cannot be changed from the window.
 */

/** What a fresh install uses when neither the employee nor IT said otherwise. */
export const DEFAULT_SETTINGS: UserSettings = {
  serverUrl: null,
  startAtLogin: true,
  notifications: true,
  privacy: { redact: false, excludedSections: [], allowScreenshots: true },
};

/** The dotted keys IT fixed in this managed config. */
export function managedKeys(managed: ManagedConfig): string[] {
  const keys: string[] = [];
  if (managed.serverUrl !== undefined) keys.push('serverUrl');
  if (managed.startAtLogin !== undefined) keys.push('startAtLogin');
  for (const key of ['redact', 'excludedSections', 'allowScreenshots'] as const) {
    if (managed.privacy?.[key] !== undefined) keys.push(`privacy.${key}`);
  }
  return keys;
}

/** Built on first use and kept: effective() runs on every request (it gives the server URL), so it builds none. */
function memo<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}
const partialPrivacySchema = memo(() => privacySettingsSchema.partial());
const excludedSectionsOrNone = memo(() => privacySettingsSchema.shape.excludedSections.catch([]));

function userLayer(store: SettingsStore): Partial<UserSettings> & { privacy?: Partial<UserSettings['privacy']> } {
  const out: Record<string, unknown> = {};
  for (const key of ['serverUrl', 'startAtLogin', 'notifications'] as const) {
    const parsed = userSettingsSchema.shape[key].safeParse(store.get(key));
    if (parsed.success && store.get(key) !== undefined) out[key] = parsed.data;
  }
  const privacy = partialPrivacySchema().safeParse(store.get('privacy') ?? {});
  if (privacy.success) out.privacy = privacy.data;
  return out;
}

export interface SettingsService {
  view(): SettingsView;
  effective(): UserSettings;
  /** Applies a change from the window; refuses managed keys with IpcError('managed'). */
  set(change: IpcParsedArg<'settings:set'>): SettingsView;
}

/** Builds the settings service; `onChange` hears every applied change (e.g. a new server URL). */
export function createSettingsService(
  store: SettingsStore,
  managed: ManagedConfig,
  onChange: (before: UserSettings, after: UserSettings) => void = () => {},
): SettingsService {
  const locked = managedKeys(managed);
  const effective = (): UserSettings => {
    const user = userLayer(store);
    const privacy = { ...DEFAULT_SETTINGS.privacy, ...user.privacy };
    const m = managed.privacy ?? {};
    return {
      serverUrl: managed.serverUrl ?? user.serverUrl ?? DEFAULT_SETTINGS.serverUrl,
      startAtLogin: managed.startAtLogin ?? user.startAtLogin ?? DEFAULT_SETTINGS.startAtLogin,
      notifications: user.notifications ?? DEFAULT_SETTINGS.notifications,
      privacy: {
        redact: m.redact ?? privacy.redact,
        excludedSections: excludedSectionsOrNone().parse(m.excludedSections ?? privacy.excludedSections),
        allowScreenshots: m.allowScreenshots ?? privacy.allowScreenshots,
      },
    };
  };
  const view = (): SettingsView => ({ effective: effective(), managed: [...locked] });
  return {
    view,
    effective,
    set(change) {
      const touched = [
        ...(['serverUrl', 'startAtLogin', 'notifications'] as const).filter((k) => change[k] !== undefined),
        ...Object.keys(change.privacy ?? {})
          .filter((k) => (change.privacy as Record<string, unknown>)[k] !== undefined)
          .map((k) => `privacy.${k}`),
      ];
      const refused = touched.filter((key) => locked.includes(key));
      if (refused.length > 0)
        throw new IpcError('managed', `Your IT department manages ${refused.join(', ')}; it cannot be changed here.`);
      if (change.serverUrl !== undefined && change.serverUrl !== null) {
        let ok: boolean;
        try {
          ok = ['http:', 'https:'].includes(new URL(change.serverUrl).protocol);
        } catch {
          ok = false;
        }
        if (!ok) throw new IpcError('invalid_argument', 'serverUrl: must be an http:// or https:// URL');
      }
      const before = effective();
      if (change.serverUrl !== undefined) store.set('serverUrl', change.serverUrl);
      if (change.startAtLogin !== undefined) store.set('startAtLogin', change.startAtLogin);
      if (change.notifications !== undefined) store.set('notifications', change.notifications);
      if (change.privacy) {
        const current = privacySettingsSchema
          .partial()
          .catch({})
          .parse(store.get('privacy') ?? {});
        const defined = Object.fromEntries(Object.entries(change.privacy).filter(([, v]) => v !== undefined));
        store.set('privacy', { ...current, ...defined });
      }
      const after = effective();
      onChange(before, after);
      return view();
    },
  };
}
