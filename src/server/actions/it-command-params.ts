import { SERVER_RESOLVED_PARAMS, type ParsedAction, type ScriptActionName } from '../../shared/actions/catalog';
import type { PackageManagerName } from '../../shared/actions/params';
import {
  checkScriptArgs,
  SCRIPT_ACTION_PREFIX,
  type ScriptBodyInfo,
  type ScriptParamInfo,
} from '../../shared/actions/script-info';
import type { ScriptCommandParams } from '../../shared/actions/scripts';
import type { ServerContext } from '../context';
import { parseJsonObject } from '../db/json-columns';
import type { ApiError } from '../errors';
import { unprocessable } from '../errors';
import { selectAllowListEntry, selectScript } from './it-actions.repo';

/*
 * What the server signs for IT's part of the catalog. A technician names an allow-list entry (or a
 * script); the server looks it up for the device's OS and puts the real name (or the script's text)
 * into the parameters it signs, so the agent runs exactly what was signed and looks nothing up itself.
 * The entry's names were held to the strict patterns (params.ts) when IT saved them, and the signed
 * parameters are checked against the catalog's schema again by signCommand and by the agent.
 */

type Platform = 'linux' | 'win32' | 'darwin';
const isPlatform = (os: string): os is Platform => os === 'linux' || os === 'win32' || os === 'darwin';

/** Refuses a request that gives a parameter only the server may fill in (the resolved name). */
export function refuseServerResolved(action: string, params: Record<string, unknown>): void {
  for (const key of SERVER_RESOLVED_PARAMS[action] ?? [])
    if (Object.hasOwn(params, key))
      throw unprocessable('bad_params', `${key}: is filled in by the server from IT's allow-list, not by the request`);
}

/** A built-in action's parameters, with the allow-list's name for the device's OS added where it names an entry. */
export async function resolveAllowListParams(
  ctx: ServerContext,
  parsed: ParsedAction,
  os: string,
): Promise<ParsedAction> {
  if (parsed.name === 'service.restart') {
    const entry = await selectAllowListEntry(ctx.db.kysely, 'service', parsed.params.service);
    if (!entry) throw notListed('service', parsed.params.service);
    const name = isPlatform(os) ? parseJsonObject(entry.targets)[os] : undefined;
    if (typeof name !== 'string')
      throw unprocessable('unsupported_platform', `${entry.title} has no service name for ${os} on IT's allow-list`);
    return { name: parsed.name, params: { ...parsed.params, serviceName: name } };
  }
  if (parsed.name === 'package.install') {
    const entry = await selectAllowListEntry(ctx.db.kysely, 'package', parsed.params.package);
    if (!entry) throw notListed('package', parsed.params.package);
    const install = isPlatform(os) ? packageTargets(parseJsonObject(entry.targets), os) : [];
    if (install.length === 0)
      throw unprocessable('unsupported_platform', `${entry.title} has no package for ${os} on IT's allow-list`);
    return { name: parsed.name, params: { ...parsed.params, install } };
  }
  return parsed;
}

function notListed(kind: 'service' | 'package', id: string): ApiError {
  return unprocessable(
    'not_on_allow_list',
    `${kind}: ${JSON.stringify(id)} is not on IT's ${kind} allow-list (an IT admin adds it in Settings)`,
  );
}

/** The managers to try on an OS, in order, with the entry's id in each. */
function packageTargets(t: Record<string, unknown>, os: Platform): { manager: PackageManagerName; id: string }[] {
  const pick = (manager: PackageManagerName, id: unknown) => (typeof id === 'string' ? [{ manager, id }] : []);
  switch (os) {
    case 'linux':
      return [...pick('apt', t.apt), ...pick('dnf', t.dnf)];
    case 'win32':
      return pick('winget', t.winget);
    case 'darwin':
      return pick(t.brewCask === true ? 'brew-cask' : 'brew', t.brew);
  }
}

/**
 * A script command's parameters: the script's body for the device's OS, verbatim, with its declarations,
 * and the technician's values (the request's `params`), checked against those declarations.
 */
export async function prepareScriptCommand(
  ctx: ServerContext,
  name: string,
  args: Record<string, unknown>,
  os: string,
): Promise<ParsedAction> {
  const slug = name.slice(SCRIPT_ACTION_PREFIX.length);
  const row = await selectScript(ctx.db.kysely, slug);
  if (!row)
    throw unprocessable(
      'unknown_script',
      `Unknown IT script ${JSON.stringify(name)}: only IT's catalog entries can run`,
    );
  const bodies = JSON.parse(row.bodies) as Partial<Record<Platform, ScriptBodyInfo>>;
  const body = isPlatform(os) ? bodies[os] : undefined;
  if (!isPlatform(os) || !body) {
    const has = Object.keys(bodies).join(', ');
    throw unprocessable('unsupported_platform', `${row.title} has no script for ${os} (only ${has})`);
  }
  const parameters = JSON.parse(row.parameters) as ScriptParamInfo[];
  const problem = checkScriptArgs(parameters, args, os);
  if (problem) throw unprocessable('bad_params', problem);
  const params: ScriptCommandParams = {
    script: {
      slug,
      title: row.title,
      description: row.description,
      risk: row.risk,
      timeoutSeconds: row.timeout_seconds,
      platform: os,
      shell: body.shell,
      body: body.body,
      parameters,
    },
    args: args as ScriptCommandParams['args'],
  };
  return { name: name as ScriptActionName, params };
}
