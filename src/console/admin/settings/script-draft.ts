import {
  SCRIPT_BODY_MAX,
  SCRIPT_PARAM_NAME_PATTERN,
  SCRIPT_SLUG_MESSAGE,
  SCRIPT_SLUG_PATTERN,
  SCRIPT_TIMEOUT_DEFAULT_SECONDS,
  SCRIPT_TIMEOUT_MAX_SECONDS,
  isVisibleText,
  scriptPatternRegExp,
  type ScriptParamType,
} from '../../../shared/actions/script-info';
import type { ItScriptDto } from '../../api/it-actions.queries';

/* An IT script as the Scripts tab's form holds it: every field a string as typed, checked before it is sent. */

export type Os = 'linux' | 'win32' | 'darwin';
export const OSES: readonly { os: Os; label: string }[] = [
  { os: 'linux', label: 'Linux' },
  { os: 'win32', label: 'Windows' },
  { os: 'darwin', label: 'macOS' },
];

export interface ParamDraft {
  name: string;
  label: string;
  type: ScriptParamType;
  required: boolean;
  maxLength: string;
  pattern: string;
}

export interface Draft {
  slug: string;
  title: string;
  description: string;
  risk: 'reads' | 'changes';
  timeoutSeconds: string;
  bodies: Record<Os, { shell: string; body: string }>;
  parameters: ParamDraft[];
}

export const emptyDraft = (): Draft => ({
  slug: '',
  title: '',
  description: '',
  risk: 'changes',
  timeoutSeconds: String(SCRIPT_TIMEOUT_DEFAULT_SECONDS),
  bodies: {
    linux: { shell: 'bash', body: '' },
    win32: { shell: 'powershell', body: '' },
    darwin: { shell: 'zsh', body: '' },
  },
  parameters: [],
});

export function draftOf(script: ItScriptDto): Draft {
  const empty = emptyDraft();
  return {
    slug: script.slug,
    title: script.title,
    description: script.description,
    risk: script.risk,
    timeoutSeconds: String(script.timeoutSeconds),
    bodies: {
      linux: script.bodies.linux ?? empty.bodies.linux,
      win32: script.bodies.win32 ?? empty.bodies.win32,
      darwin: script.bodies.darwin ?? empty.bodies.darwin,
    },
    parameters: script.parameters.map((p) => ({
      name: p.name,
      label: p.label ?? '',
      type: p.type,
      required: p.required,
      maxLength: p.maxLength === undefined ? '' : String(p.maxLength),
      pattern: p.pattern ?? '',
    })),
  };
}

/** The form's own check, as the server's: the first problem in words, or null. */
export function problemOf(draft: Draft): string | null {
  if (!SCRIPT_SLUG_PATTERN.test(draft.slug)) return `Slug: ${SCRIPT_SLUG_MESSAGE}`;
  if (!draft.title.trim()) return 'Title: enter the name technicians and employees see';
  if (!draft.description.trim()) return 'Description: say what the script does (the employee reads it)';
  const timeout = Number(draft.timeoutSeconds);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > SCRIPT_TIMEOUT_MAX_SECONDS)
    return `Timeout: a whole number of seconds from 1 to ${SCRIPT_TIMEOUT_MAX_SECONDS}`;
  const written = OSES.filter(({ os }) => draft.bodies[os].body.trim());
  if (written.length === 0) return 'Write the script for at least one OS';
  for (const { os, label } of written) {
    const body = draft.bodies[os].body;
    if (body.length > SCRIPT_BODY_MAX) return `${label} script: at most ${SCRIPT_BODY_MAX} characters`;
    if (!isVisibleText(body))
      return `${label} script: must not contain control or bidi-override characters (they hide what runs)`;
  }
  const seen = new Set<string>();
  for (const [i, p] of draft.parameters.entries()) {
    const where = `Parameter ${i + 1}`;
    if (!SCRIPT_PARAM_NAME_PATTERN.test(p.name)) return `${where}: the name starts with a letter; letters, digits, "_"`;
    if (seen.has(p.name.toLowerCase())) return `${where}: "${p.name}" is already a parameter`;
    seen.add(p.name.toLowerCase());
    if (p.maxLength && !/^\d+$/.test(p.maxLength)) return `${where}: most characters must be a whole number`;
    if (p.pattern && !scriptPatternRegExp(p.pattern)) return `${where}: the pattern is not a valid regular expression`;
  }
  return null;
}

/** The request body of a draft (the form checked it first). */
export function bodyOf(draft: Draft) {
  const bodies = Object.fromEntries(
    OSES.filter(({ os }) => draft.bodies[os].body.trim()).map(({ os }) => [os, draft.bodies[os]]),
  );
  return {
    title: draft.title.trim(),
    description: draft.description.trim(),
    risk: draft.risk,
    timeoutSeconds: Number(draft.timeoutSeconds),
    bodies,
    parameters: draft.parameters.map((p) => ({
      name: p.name,
      ...(p.label.trim() ? { label: p.label.trim() } : {}),
      type: p.type,
      required: p.required,
      ...(p.type === 'string' && p.maxLength ? { maxLength: Number(p.maxLength) } : {}),
      ...(p.type === 'string' && p.pattern ? { pattern: p.pattern } : {}),
    })),
  };
}
