import { access, chmod, copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CommandRunner } from '../diagnostics/command-runner';
import type { PlannedCommand, ServicePlan } from './service-units';

/*
 * Carries out a ServicePlan (service-units.ts): commands through the CommandRunner port (argument
 * arrays, no shell), files through node:fs. A dry run prints everything and runs nothing; a file to
 * copy that is missing stops everything before anything is done, dry run or not.
 */

/** Why an install or uninstall could not go on: not permitted, or a tool failed. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    message: string,
    readonly kind: 'not_permitted' | 'failed',
  ) {
    super(message);
  }
}

export interface ApplyOptions {
  runner: CommandRunner;
  /** Print the plan, run no command. */
  dryRun: boolean;
  /** Whether files are written/removed (false in a dry run unless the files go to a test folder). */
  touchFiles: boolean;
  out(text: string): void;
  timeoutMs?: number;
}

/** A command as a person would type it (for the dry run's output only; never run through a shell). */
export function displayCommand(command: PlannedCommand): string {
  return [command.command, ...command.args]
    .map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

const deniedCodes = new Set(['EACCES', 'EPERM', 'EROFS']);

async function runAll(commands: PlannedCommand[], options: ApplyOptions): Promise<void> {
  for (const command of commands) {
    if (options.dryRun) {
      options.out(`would run: ${displayCommand(command)}\n`);
      continue;
    }
    options.out(`running: ${displayCommand(command)}\n`);
    const result = await options.runner.run(command.command, command.args, { timeoutMs: options.timeoutMs ?? 60_000 });
    if (result.ok && result.value.exitCode === 0) continue;
    const detail = result.ok
      ? (result.value.stderr || result.value.stdout).trim() || `exit code ${result.value.exitCode}`
      : result.error.message;
    if (command.mayFail) {
      options.out(`  (ignored: ${detail})\n`);
      continue;
    }
    // WinSW reports a refusal as `WmiException: AccessDenied`; net.exe and the rest in words.
    const denied =
      /access is denied|accessdenied|permission denied|not permitted|operation not permitted|interactive authentication/i;
    throw new ServiceError(
      `${displayCommand(command)} failed: ${detail}`,
      denied.test(detail) ? 'not_permitted' : 'failed',
    );
  }
}

/** Runs the plan: `before` commands, folders (created, then locked down), file writes, copies and removals, `after` commands. */
export async function applyServicePlan(plan: ServicePlan, options: ApplyOptions): Promise<void> {
  for (const { from } of plan.copy) {
    try {
      await access(from);
    } catch (error) {
      throw new ServiceError(`${from} is missing, nothing was changed: ${(error as Error).message}`, 'failed');
    }
  }
  await runAll(plan.before, options);
  for (const folder of plan.folders) {
    if (options.dryRun) options.out(`would create ${folder.path}\n`);
    if (options.touchFiles) {
      try {
        await mkdir(folder.path, { recursive: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        throw new ServiceError(
          `cannot create ${folder.path}: ${(error as Error).message}`,
          deniedCodes.has(code) ? 'not_permitted' : 'failed',
        );
      }
    }
    // Locked down before anything is put in it.
    await runAll([folder.restrict], options);
  }
  for (const file of plan.write) {
    // A private file (the managed config with the enrollment secret) is named, not shown.
    if (options.dryRun)
      options.out(
        `would write ${file.path} (mode ${file.mode.toString(8)})${
          file.mode & 0o077 ? `:\n${file.content}` : ', contents not shown (it holds the enrollment secret)'
        }\n`,
      );
    if (!options.touchFiles) continue;
    try {
      await mkdir(dirname(file.path), { recursive: true });
      await writeFile(file.path, file.content, { mode: file.mode });
      await chmod(file.path, file.mode);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      throw new ServiceError(
        `cannot write ${file.path}: ${(error as Error).message}`,
        deniedCodes.has(code) ? 'not_permitted' : 'failed',
      );
    }
    options.out(`wrote ${file.path}\n`);
  }
  for (const { from, to } of plan.copy) {
    if (options.dryRun) options.out(`would copy ${from} to ${to}\n`);
    if (!options.touchFiles) continue;
    try {
      await mkdir(dirname(to), { recursive: true });
      await copyFile(from, to);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      throw new ServiceError(
        `cannot copy ${from} to ${to}: ${(error as Error).message}`,
        deniedCodes.has(code) ? 'not_permitted' : 'failed',
      );
    }
    options.out(`copied ${from} to ${to}\n`);
  }
  for (const path of plan.remove) {
    if (options.dryRun) options.out(`would remove ${path}\n`);
    if (!options.touchFiles) continue;
    try {
      await rm(path, { force: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      throw new ServiceError(
        `cannot remove ${path}: ${(error as Error).message}`,
        deniedCodes.has(code) ? 'not_permitted' : 'failed',
      );
    }
    options.out(`removed ${path}\n`);
  }
  await runAll(plan.after, options);
}
