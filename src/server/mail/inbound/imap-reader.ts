import { ImapFlow } from 'imapflow';
import type { InboundSink, MailboxConfig } from './inbound';
import { errorText, type InboundLog } from './inbound-log';
import { imapClientOptions, imapWhere, type ImapConnectExtras } from './imap-options';
import { FailedMessages } from './failed-messages';

/*
 * The help-desk mailbox read over IMAP. One connection: open the folder, hand every message without \Seen
 * to the importer, and mark it \Seen only when the importer is done with it; then wait for new mail with
 * IDLE where the server offers it, or poll. A message the importer could not take stays unseen and is tried
 * again later with a growing delay (never in a tight loop); a dropped connection is opened again with
 * backoff. One pass at a time: a pass asked for while one runs is run once more afterwards.
 */

export interface ImapReaderOptions extends ImapConnectExtras {
  config: MailboxConfig['imap'];
  sink: InboundSink;
  log: InboundLog;
  /** How often to look for new mail when the server has no IDLE (default 60 s). */
  pollMs?: number;
  /** First delay before connecting again after a drop or a failed login (default 5 s; doubles, capped). */
  reconnectMs?: number;
  /** The cap of the reconnect delay (default 5 min). */
  reconnectMaxMs?: number;
  /** First delay before a message that failed is tried again (default 60 s; doubles, capped at 30 min). */
  retryMs?: number;
  /** False: poll even where the server offers IDLE. */
  useIdle?: boolean;
  /**
   * Messages larger than this are handed over cut to this size plus one byte, so the importer can log them
   * as too big without the reader holding the whole message in memory.
   */
  maxMessageBytes?: number;
}

export interface ImapReaderStatus {
  connected: boolean;
  /** How new mail is noticed on the current connection. */
  waitingWith: 'idle' | 'poll' | null;
  lastError?: string;
  /** Passes completed since start. */
  passes: number;
}

export interface ImapReader {
  close(): Promise<void>;
  /** Resolves when connected and no pass is running or wanted (tests); rejects after `timeoutMs`. */
  idle(timeoutMs?: number): Promise<void>;
  status(): ImapReaderStatus;
}

/** Starts reading the mailbox; connects in the background (a failed login is retried with backoff). */
export function startImapReader(opts: ImapReaderOptions): ImapReader {
  const { config } = opts;
  const log = opts.log;
  const where = imapWhere(config);
  const pollMs = opts.pollMs ?? 60_000;
  const reconnectBase = opts.reconnectMs ?? 5_000;
  const reconnectMax = Math.max(reconnectBase, opts.reconnectMaxMs ?? 5 * 60_000);
  const failed = new FailedMessages(opts.retryMs ?? 60_000, 30 * 60_000);

  let closed = false;
  let client: ImapFlow | null = null;
  let connected = false;
  let waitingWith: ImapReaderStatus['waitingWith'] = null;
  let lastError: string | undefined;
  let passes = 0;
  let reconnectDelay = reconnectBase;
  let uidValidity: bigint | null = null;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let pollTimer: NodeJS.Timeout | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let passRunning: Promise<void> | null = null;
  let passWanted = false;
  let waiters: (() => void)[] = [];

  const notify = () => {
    const ready = waiters;
    waiters = [];
    for (const wake of ready) wake();
  };

  const scheduleConnect = (delay: number) => {
    if (closed || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      void connect();
    }, delay);
  };

  /** The connection is gone (or never came up): forget it and connect again later. */
  const drop = (c: ImapFlow) => {
    if (client !== c) return;
    const wasConnected = connected;
    client = null;
    connected = false;
    waitingWith = null;
    if (pollTimer) clearInterval(pollTimer);
    pollTimer = null;
    c.close();
    notify();
    if (closed) return;
    if (wasConnected) log.warn({ where, retryInMs: reconnectDelay }, 'email in: IMAP connection lost, reconnecting');
    else log.warn({ where, retryInMs: reconnectDelay, error: lastError }, 'email in: could not open the IMAP mailbox');
    scheduleConnect(reconnectDelay);
    reconnectDelay = Math.min(reconnectDelay * 2, reconnectMax);
  };

  const connect = async () => {
    if (closed) return;
    const c = new ImapFlow(imapClientOptions(config, opts));
    client = c;
    c.on('error', (error: unknown) => {
      lastError = errorText(error);
      log.warn({ where, error: lastError }, 'email in: IMAP error');
    });
    c.on('close', () => drop(c));
    c.on('exists', () => requestPass());
    try {
      await c.connect();
      const mailbox = await c.mailboxOpen(config.folder);
      if (uidValidity !== null && mailbox.uidValidity !== uidValidity) failed.clear();
      uidValidity = mailbox.uidValidity;
    } catch (error) {
      lastError = errorText(error);
      drop(c);
      return;
    }
    if (client !== c || closed) {
      c.close();
      return;
    }
    connected = true;
    lastError = undefined;
    reconnectDelay = reconnectBase;
    waitingWith = opts.useIdle !== false && c.capabilities.has('IDLE') ? 'idle' : 'poll';
    if (waitingWith === 'poll') pollTimer = setInterval(requestPass, pollMs);
    log.info({ where, user: config.user, folder: config.folder, waitingWith }, 'email in: IMAP mailbox opened');
    requestPass();
  };

  const requestPass = () => {
    if (closed || !connected) return;
    passWanted = true;
    if (passRunning) return;
    passRunning = runPasses().finally(() => {
      passRunning = null;
      notify();
      if (client && connected) startIdle(client);
    });
  };

  const runPasses = async () => {
    while (passWanted && connected && !closed && client) {
      passWanted = false;
      const c = client;
      try {
        await pass(c);
        passes++;
      } catch (error) {
        // A lost connection reconnects through 'close'; anything else waits for the retry timer.
        if (client === c && c.usable) {
          log.warn({ where, error: errorText(error) }, 'email in: IMAP pass failed');
          failed.failPass();
        }
      }
      scheduleRetry();
    }
  };

  /** One look at the folder: every unseen message not waiting for a retry goes to the importer. */
  const pass = async (c: ImapFlow) => {
    if (waitingWith === 'poll') await c.noop();
    const unseen = (await c.search({ seen: false }, { uid: true })) || [];
    const due = failed.due(unseen);
    if (due.length === 0) return;
    const sizes = new Map<number, number>();
    for await (const message of c.fetch(due.join(','), { uid: true, size: true }, { uid: true })) {
      sizes.set(message.uid, message.size ?? 0);
    }
    for (const uid of due) {
      if (closed || client !== c) return;
      const size = sizes.get(uid);
      if (size === undefined) continue; // expunged meanwhile
      const tooBig = opts.maxMessageBytes !== undefined && size > opts.maxMessageBytes;
      const query = tooBig ? { source: { start: 0, maxLength: opts.maxMessageBytes! + 1 } } : { source: true };
      const message = await c.fetchOne(String(uid), query, { uid: true });
      if (!message || !message.source) continue;
      let done = false;
      let reason: string | null;
      try {
        const result = await opts.sink.importRaw(message.source, 'imap');
        done = result.done;
        reason = result.reason;
        log.info(
          { uid, outcome: result.outcome, importId: result.importId, ticketId: result.ticketId, done },
          'email in: message read over IMAP',
        );
      } catch (error) {
        reason = errorText(error);
        log.error({ uid, error: reason }, 'email in: could not store a message read over IMAP; it stays unread');
      }
      if (done) {
        await c.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        failed.forget(uid);
      } else {
        const retryInMs = failed.fail(uid);
        log.info({ uid, reason, retryInMs }, 'email in: message left unread, to be tried again');
      }
    }
  };

  /** A timer for the earliest message waiting to be tried again. */
  const scheduleRetry = () => {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    const wait = failed.nextRetryInMs();
    if (wait === null || closed) return;
    retryTimer = setTimeout(
      () => {
        retryTimer = null;
        requestPass();
      },
      Math.max(wait, 50),
    );
  };

  const startIdle = (c: ImapFlow) => {
    if (waitingWith !== 'idle' || closed || client !== c || passRunning || c.idling) return;
    const started = Date.now();
    c.idle().then(
      (result) => {
        if (result === false && client === c && connected) {
          // The server refused IDLE on this connection after all: poll instead.
          log.warn({ where }, 'email in: IDLE refused, polling instead');
          waitingWith = 'poll';
          pollTimer = setInterval(requestPass, pollMs);
          return;
        }
        // IDLE ended without a command of ours (the server ended it): start again, not in a tight loop.
        setTimeout(() => startIdle(c), Date.now() - started < 1000 ? 1000 : 0);
      },
      () => {},
    );
  };

  void connect();

  return {
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of [reconnectTimer, retryTimer]) if (timer) clearTimeout(timer);
      if (pollTimer) clearInterval(pollTimer);
      const c = client;
      // A message being imported is finished (or left unread) before the connection goes.
      if (passRunning) await Promise.race([passRunning, new Promise((r) => setTimeout(r, 10_000))]);
      client = null;
      connected = false;
      notify();
      if (c) {
        await Promise.race([c.logout().catch(() => {}), new Promise((r) => setTimeout(r, 3_000))]);
        c.close();
      }
      log.info({ where }, 'email in: IMAP reader stopped');
    },
    async idle(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!closed && !(connected && !passRunning && !passWanted)) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`IMAP reader not idle after ${timeoutMs} ms (${lastError ?? 'no error'})`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 250));
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    status: () => ({ connected, waitingWith, ...(lastError ? { lastError } : {}), passes }),
  };
}
