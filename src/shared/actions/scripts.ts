import { z } from 'zod';
import { text } from '../text/text-schema';
import type { ActionDefinition, ActionPlatform } from './catalog';
import {
  checkScriptArgs,
  isVisibleText,
  SCRIPT_ACTION_PREFIX,
  SCRIPT_BODY_MAX,
  SCRIPT_DESCRIPTION_MAX,
  SCRIPT_OUTPUT_CAP_BYTES,
  SCRIPT_PARAM_NAME_PATTERN,
  SCRIPT_PARAM_PATTERN_MAX,
  SCRIPT_PARAM_VALUE_MAX,
  SCRIPT_PARAMS_MAX,
  SCRIPT_SHELLS,
  SCRIPT_SLUG_MESSAGE,
  SCRIPT_SLUG_PATTERN,
  SCRIPT_TIMEOUT_DEFAULT_SECONDS,
  SCRIPT_TIMEOUT_MAX_SECONDS,
  SCRIPT_TITLE_MAX,
  scriptPatternRegExp,
} from './script-info';

/*
 * IT scripts in the action catalog (issue 12). IT admins author a script (per-OS bodies, declared
 * parameters, risk); a technician runs it as the action `script.<slug>` with values for its parameters.
 * The server signs a command whose parameters hold the script exactly as it will run — the body for the
 * device's OS, verbatim, with its declarations — and the values; the agent verifies the signature, checks
 * the values against the declarations again, shows the body in the consent prompt and runs that text.
 */

export const scriptSlugSchema = z.string().regex(SCRIPT_SLUG_PATTERN, SCRIPT_SLUG_MESSAGE);

/** A script body: at most 64 KiB of text that shows exactly what it holds (no NUL, hidden controls or bidi overrides). */
export const scriptBodySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(SCRIPT_BODY_MAX)
  .refine(isVisibleText, 'must not contain NUL, control (other than tab and newline) or bidi-override characters');

/** One declared parameter. */
export const scriptParamSchema = z
  .strictObject({
    name: z
      .string()
      .regex(SCRIPT_PARAM_NAME_PATTERN, 'must start with a letter; letters, digits and "_" only; up to 32 characters'),
    label: text().trim().min(1).max(80).optional(),
    type: z.enum(['string', 'number', 'boolean']),
    required: z.boolean().default(false),
    maxLength: z.number().int().min(1).max(SCRIPT_PARAM_VALUE_MAX).optional(),
    pattern: text()
      .min(1)
      .max(SCRIPT_PARAM_PATTERN_MAX)
      .refine((p) => scriptPatternRegExp(p) !== null, 'must be a valid regular expression')
      .optional(),
  })
  .refine((p) => p.type === 'string' || (p.maxLength === undefined && p.pattern === undefined), {
    message: 'only text parameters take a maximum length or a pattern',
    path: ['type'],
  });

export const scriptParamsSchema = z
  .array(scriptParamSchema)
  .max(SCRIPT_PARAMS_MAX)
  .refine((list) => new Set(list.map((p) => p.name.toLowerCase())).size === list.length, {
    message: 'parameter names must not repeat (PowerShell ignores case)',
  });

const bodyFor = <P extends ActionPlatform>(platform: P) =>
  z.strictObject({ shell: z.enum(SCRIPT_SHELLS[platform]), body: scriptBodySchema });

/** The bodies of a script, one per OS it runs on (at least one). */
export const scriptBodiesSchema = z
  .strictObject({
    linux: bodyFor('linux').optional(),
    win32: bodyFor('win32').optional(),
    darwin: bodyFor('darwin').optional(),
  })
  .refine((b) => b.linux || b.win32 || b.darwin, 'give a body for at least one OS');

/** What an IT admin saves (PUT /api/v1/it/scripts/:slug). */
export const scriptDefinitionSchema = z.strictObject({
  title: text().trim().min(1, 'must not be empty').max(SCRIPT_TITLE_MAX),
  description: text().trim().min(1, 'must not be empty').max(SCRIPT_DESCRIPTION_MAX),
  risk: z.enum(['reads', 'changes']),
  timeoutSeconds: z.number().int().min(1).max(SCRIPT_TIMEOUT_MAX_SECONDS).default(SCRIPT_TIMEOUT_DEFAULT_SECONDS),
  parameters: scriptParamsSchema.default([]),
  bodies: scriptBodiesSchema,
});
export type ScriptDefinition = z.output<typeof scriptDefinitionSchema>;

const argValue = z.union([z.string().max(SCRIPT_PARAM_VALUE_MAX), z.number(), z.boolean()]);

/** A run's values, by parameter name. */
export const scriptArgsSchema = z.record(z.string().regex(SCRIPT_PARAM_NAME_PATTERN), argValue);

/** The script as the server signs it into a command: one OS's body, verbatim, with its declarations. */
const signedScriptSchema = z.strictObject({
  slug: scriptSlugSchema,
  title: text().min(1).max(SCRIPT_TITLE_MAX),
  description: text().min(1).max(SCRIPT_DESCRIPTION_MAX),
  risk: z.enum(['reads', 'changes']),
  timeoutSeconds: z.number().int().min(1).max(SCRIPT_TIMEOUT_MAX_SECONDS),
  platform: z.enum(['linux', 'win32', 'darwin']),
  shell: z.enum(['bash', 'powershell', 'zsh', 'sh']),
  body: scriptBodySchema,
  parameters: scriptParamsSchema,
});

/** A script command's parameters: the signed script and the values, checked against its declarations. */
export const scriptCommandParamsSchema = z
  .strictObject({ script: signedScriptSchema, args: scriptArgsSchema })
  .superRefine((p, issue) => {
    const shells: readonly string[] = SCRIPT_SHELLS[p.script.platform];
    if (!shells.includes(p.script.shell))
      issue.addIssue({ code: 'custom', path: ['script', 'shell'], message: `must be one of ${shells.join(', ')}` });
    const problem = checkScriptArgs(p.script.parameters, p.args, p.script.platform);
    if (problem) issue.addIssue({ code: 'custom', path: ['args'], message: problem });
  });
export type ScriptCommandParams = z.output<typeof scriptCommandParamsSchema>;
export type SignedScript = ScriptCommandParams['script'];

/** The catalog entry of a script command, from the script it carries (one OS, the script's risk and timeout). */
export function scriptActionDefinition(script: SignedScript): ActionDefinition<typeof scriptCommandParamsSchema> {
  return {
    name: `${SCRIPT_ACTION_PREFIX}${script.slug}`,
    title: script.title,
    description: script.description,
    params: scriptCommandParamsSchema,
    risk: script.risk,
    // A script that changes something always asks the employee (unless IT's policy refuses such actions):
    // the command runner never runs `changes` unattended.
    consent: 'policy',
    timeoutMs: script.timeoutSeconds * 1000,
    outputCapBytes: SCRIPT_OUTPUT_CAP_BYTES,
    platforms: [script.platform],
  };
}
