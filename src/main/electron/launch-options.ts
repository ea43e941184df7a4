/*
 * The agent's own launch flags (the managed-config flags --server-url, --enroll-secret, --config and
 * --group are read by loadManagedConfig). Plain code, no electron import, so it is unit-tested.
 *   --hidden          start in the tray without opening the window (autostart entries pass it)
 *   --data-dir DIR    keep settings, outbox and caches in DIR instead of the OS user-data folder
 *                     (portable installs, tests that must not touch the real profile)
 */

/** What the composition root needs to know about how it was started. */
export interface LaunchOptions {
  hidden: boolean;
  dataDir: string | null;
}

/** Reads the agent's launch flags; `--x=v` and `--x v` both work; unknown arguments are ignored. */
export function parseLaunchOptions(argv: readonly string[]): LaunchOptions {
  const options: LaunchOptions = { hidden: false, dataDir: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--hidden') options.hidden = true;
    else if (arg.startsWith('--data-dir=')) options.dataDir = arg.slice('--data-dir='.length) || null;
    else if (arg === '--data-dir' && i + 1 < argv.length) options.dataDir = argv[++i] || null;
  }
  return options;
}
