import type { InboundSink, MailboxConfig, MailboxMode } from './inbound';
import { errorText, type InboundLog } from './inbound-log';
import { startImapReader, type ImapReader, type ImapReaderOptions } from './imap-reader';
import { listenerTlsStamp, loadListenerTls } from './listener-tls';
import { imapConfigProblem, smtpConfigProblem } from './mailbox-check';
import { startSmtpListener, type SmtpListener } from './smtp-listener';

/*
 * Runs the email-in transport IT chose: reads the mailbox settings, starts the IMAP reader or the SMTP
 * listener, and reads the settings again every few seconds, restarting the transport when what it depends
 * on changed (the settings are a database row any server instance may change). 'off' and close() stop
 * everything. A transport that cannot start (port in use, incomplete settings) is logged, its error kept
 * for the settings screen, and tried again at the next check; the IMAP reader retries logins itself.
 */

export interface MailboxRunnerOptions {
  load(): Promise<MailboxConfig>;
  sink: InboundSink;
  log: InboundLog;
  /** How often the settings are read again (default 10 s). */
  checkEveryMs?: number;
  /** Passed to the IMAP reader (tests shorten its delays or trust their own CA). */
  imap?: Partial<Pick<ImapReaderOptions, 'pollMs' | 'reconnectMs' | 'reconnectMaxMs' | 'retryMs' | 'useIdle' | 'tls'>>;
}

export interface MailboxRunnerState {
  mode: MailboxMode;
  /** The listener is listening, or the reader is connected to its mailbox. */
  running: boolean;
  /** The SMTP listener's port. */
  port?: number;
  lastError?: string;
}

export interface MailboxRunner {
  /** Reads the settings now and acts on them (after a save; tests). */
  check(): Promise<void>;
  current(): MailboxRunnerState;
  close(): Promise<void>;
}

type Active =
  | { kind: 'imap'; key: string; reader: ImapReader }
  | { kind: 'smtp'; key: string; listener: SmtpListener }
  | { kind: 'failed'; key: string; error: string };

/** The settings one transport depends on, as a canonical string: equal strings, nothing to restart. */
export function transportKey(config: MailboxConfig): string {
  switch (config.mode) {
    case 'off':
      return 'off';
    case 'imap':
      return stableJson({ mode: 'imap', imap: config.imap, maxMessageBytes: config.maxMessageBytes });
    case 'smtp':
      return stableJson({ mode: 'smtp', smtp: config.smtp, maxMessageBytes: config.maxMessageBytes });
  }
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

export function startMailboxRunner(opts: MailboxRunnerOptions): MailboxRunner {
  const log = opts.log;
  const checkEveryMs = opts.checkEveryMs ?? 10_000;
  let closed = false;
  let mode: MailboxMode = 'off';
  let active: Active | null = null;
  let loadError: string | undefined;
  let timer: NodeJS.Timeout | null = null;
  let checking: Promise<void> = Promise.resolve();

  const stopActive = async () => {
    const was = active;
    active = null;
    if (was?.kind === 'imap') await was.reader.close();
    if (was?.kind === 'smtp') await was.listener.close();
  };

  const start = async (config: MailboxConfig, key: string): Promise<Active | null> => {
    if (config.mode === 'off') return null;
    if (config.mode === 'imap') {
      const problem = imapConfigProblem(config.imap);
      if (problem) return { kind: 'failed', key, error: problem };
      const reader = startImapReader({
        config: config.imap,
        sink: opts.sink,
        log,
        maxMessageBytes: config.maxMessageBytes,
        ...opts.imap,
      });
      return { kind: 'imap', key, reader };
    }
    const problem = smtpConfigProblem(config.smtp);
    if (problem) return { kind: 'failed', key, error: problem };
    let tls: Awaited<ReturnType<typeof loadListenerTls>>;
    try {
      tls = await loadListenerTls(config.smtp);
    } catch (error) {
      return { kind: 'failed', key, error: errorText(error) };
    }
    try {
      const listener = await startSmtpListener({
        host: config.smtp.host,
        port: config.smtp.port,
        addresses: config.smtp.addresses,
        maxMessageBytes: config.maxMessageBytes,
        sink: opts.sink,
        log,
        ...(tls ? { tls: { key: tls.key, cert: tls.cert } } : {}),
      });
      return { kind: 'smtp', key, listener };
    } catch (error) {
      return {
        kind: 'failed',
        key,
        error: `Cannot listen on ${config.smtp.host}:${config.smtp.port}: ${errorText(error)}`,
      };
    }
  };

  const checkOnce = async () => {
    if (closed) return;
    let config: MailboxConfig;
    try {
      config = await opts.load();
      loadError = undefined;
    } catch (error) {
      // Keep whatever runs: the settings could not be read this time.
      loadError = `Could not read the mailbox settings: ${errorText(error)}`;
      log.warn({ error: loadError }, 'email in: settings not read');
      return;
    }
    // A renewed certificate (the files changed) restarts the listener like a changed setting.
    const key = transportKey(config) + (config.mode === 'smtp' ? `#${await listenerTlsStamp(config.smtp)}` : '');
    // Unchanged and started (a failed start is tried again).
    if (active && active.key === key && active.kind !== 'failed') return;
    if (!active && key === 'off') {
      mode = 'off';
      return;
    }
    await stopActive();
    if (closed) return;
    mode = config.mode;
    const started = await start(config, key);
    if (closed) {
      if (started?.kind === 'imap') await started.reader.close();
      if (started?.kind === 'smtp') await started.listener.close();
      return;
    }
    active = started;
    if (started?.kind === 'failed') log.warn({ mode, error: started.error }, 'email in: transport not started');
    else log.info({ mode }, started ? 'email in: transport started' : 'email in: off');
  };

  const check = () => {
    checking = checking.then(checkOnce, checkOnce);
    return checking;
  };

  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => {
      timer = null;
      void check().finally(schedule);
    }, checkEveryMs);
    timer.unref?.();
  };

  void check().finally(schedule);

  return {
    check,
    current() {
      const state: MailboxRunnerState = { mode, running: false };
      if (active?.kind === 'smtp') {
        state.running = true;
        state.port = active.listener.port;
      } else if (active?.kind === 'imap') {
        const status = active.reader.status();
        state.running = status.connected;
        if (status.lastError && !status.connected) state.lastError = status.lastError;
      } else if (active?.kind === 'failed') {
        state.lastError = active.error;
      }
      if (loadError) state.lastError = loadError;
      return state;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await checking.catch(() => {});
      await stopActive();
    },
  };
}
