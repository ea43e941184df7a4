import type { ActionPlatform, ActionRisk } from './catalog';

/*
 * IT scripts (issue 12) as plain data, with no zod: the limits, the shells per OS, and the check of a
 * parameter value against its declaration. The server, the agent and the console's forms all use the same
 * check (scripts.ts wraps it in the schemas), so a value the form takes is a value the agent runs.
 *
 * A value is never put into the script's text: it is one element of the program's argument array
 * (`bash -- FILE v1 v2`, `powershell … -File FILE -Name v`). `;`, `$(…)`, backticks and newlines are
 * therefore plain characters to the script; only what an argument array cannot carry (NUL) and what the
 * declaration forbids (length, pattern) is refused.
 */

/** `script.<slug>`: the action name of an IT script. */
export const SCRIPT_ACTION_PREFIX = 'script.';
export const SCRIPT_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;
export const SCRIPT_SLUG_MESSAGE =
  'must be lower-case letters, digits and "-" (not first or last), up to 48 characters';
export const SCRIPT_TITLE_MAX = 120;
export const SCRIPT_DESCRIPTION_MAX = 2_000;
/** The longest script body, in characters. */
export const SCRIPT_BODY_MAX = 64 * 1024;
export const SCRIPT_PARAMS_MAX = 10;
export const SCRIPT_PARAM_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
export const SCRIPT_PARAM_VALUE_MAX = 1_024;
export const SCRIPT_PARAM_PATTERN_MAX = 200;
export const SCRIPT_TIMEOUT_DEFAULT_SECONDS = 300;
export const SCRIPT_TIMEOUT_MAX_SECONDS = 3_600;
/** What a script's run keeps of its output. */
export const SCRIPT_OUTPUT_CAP_BYTES = 64 * 1024;

/** The interpreters a script body may be written for, per OS. */
export const SCRIPT_SHELLS = {
  linux: ['bash'],
  win32: ['powershell'],
  darwin: ['zsh', 'sh'],
} as const satisfies Record<ActionPlatform, readonly string[]>;
export type ScriptShell = (typeof SCRIPT_SHELLS)[ActionPlatform][number];

export type ScriptParamType = 'string' | 'number' | 'boolean';

/** One declared parameter of a script. */
export interface ScriptParamInfo {
  name: string;
  /** What the console's form calls it (the name when absent). */
  label?: string;
  type: ScriptParamType;
  required: boolean;
  /** Strings: the most characters (default SCRIPT_PARAM_VALUE_MAX). */
  maxLength?: number;
  /** Strings: a regular expression the whole value must match (JavaScript syntax, `u` flag). */
  pattern?: string;
}

/** A script body for one OS. */
export interface ScriptBodyInfo {
  shell: ScriptShell;
  body: string;
}

/** A script as the console lists it. */
export interface ScriptInfo {
  slug: string;
  title: string;
  description: string;
  risk: ActionRisk;
  timeoutSeconds: number;
  parameters: ScriptParamInfo[];
  bodies: Partial<Record<ActionPlatform, ScriptBodyInfo>>;
}

export type ScriptArgValue = string | number | boolean;

/** The action name of a script. */
export const scriptActionName = (slug: string) => `${SCRIPT_ACTION_PREFIX}${slug}`;

/** Is this the name of an IT script's action (`script.<slug>`, the slug well formed)? */
export function isScriptActionName(name: string): boolean {
  return name.startsWith(SCRIPT_ACTION_PREFIX) && SCRIPT_SLUG_PATTERN.test(name.slice(SCRIPT_ACTION_PREFIX.length));
}

// NUL cannot be in an argument; other C0 controls (but tab, newline, carriage return) and the Unicode bidi
// controls would make the text shown to the employee differ from what runs ("Trojan Source").
// eslint-disable-next-line no-control-regex
const HIDDEN_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text that shows exactly what it holds: no NUL, no hidden controls, no bidi overrides, no lone surrogates. */
export function isVisibleText(value: string): boolean {
  return !HIDDEN_CHARACTERS.test(value) && !LONE_SURROGATE.test(value);
}

/** A declared pattern as a whole-value matcher, or null when it does not compile. */
export function scriptPatternRegExp(pattern: string): RegExp | null {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return null;
  }
}

/** Why one value does not fit its declaration (`name: …`), or null when it does. */
export function checkScriptArg(param: ScriptParamInfo, value: unknown, platform?: ActionPlatform): string | null {
  const where = `${param.name}:`;
  switch (param.type) {
    case 'boolean':
      return typeof value === 'boolean' ? null : `${where} must be true or false`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER
        ? null
        : `${where} must be a number`;
    case 'string': {
      if (typeof value !== 'string') return `${where} must be text`;
      const max = param.maxLength ?? SCRIPT_PARAM_VALUE_MAX;
      if (value.length > max) return `${where} must be at most ${max} characters`;
      if (!isVisibleText(value)) return `${where} must not contain NUL, control or bidi-override characters`;
      // Windows PowerShell's -File reads an argument that starts with "-" as a parameter name, not a value.
      if (platform === 'win32' && value.startsWith('-'))
        return `${where} must not start with "-" for a PowerShell script (PowerShell would read it as a parameter name)`;
      if (param.pattern !== undefined) {
        const re = scriptPatternRegExp(param.pattern);
        if (!re || !re.test(value)) return `${where} must match the pattern ${param.pattern}`;
      }
      return null;
    }
  }
}

/**
 * Checks a run's values against the script's declarations: every required parameter given, no parameter
 * the script does not declare, each value fitting its type, length and pattern. Answers the first
 * problem as `name: what is wrong`, or null.
 */
export function checkScriptArgs(
  params: readonly ScriptParamInfo[],
  args: Record<string, unknown>,
  platform?: ActionPlatform,
): string | null {
  const declared = new Map(params.map((p) => [p.name, p]));
  for (const key of Object.keys(args)) if (!declared.has(key)) return `${key}: is not a parameter of this script`;
  for (const param of params) {
    if (!Object.hasOwn(args, param.name)) {
      if (param.required) return `${param.name}: is required`;
      continue;
    }
    const problem = checkScriptArg(param, args[param.name], platform);
    if (problem) return problem;
  }
  return null;
}
