/*
 * Email in (issue 15): the seam between what carries mail to the help desk (the IMAP reader, Deskside's own
 * SMTP listener) and what turns a message into a ticket or a reply (the importer). A transport hands over
 * the raw RFC 5322 bytes and acts on the answer: the IMAP reader marks a message \Seen only when the
 * importer is done with it (so a failed message stays in the mailbox and is read again), the SMTP listener
 * answers 250 when done and 451 (try again later) when the importer threw.
 */

/** Where a message came from. */
export type MailSource = 'imap' | 'smtp';

/** What became of an incoming message (the `mail_imports.outcome` column). */
export type ImportOutcome =
  /** It opened a new ticket. */
  | 'ticket'
  /** It became a message on an existing ticket. */
  | 'reply'
  /** An out-of-office, vacation or other automatic answer: logged, no ticket. */
  | 'auto-reply'
  /** A delivery status notification (bounce): logged, no ticket. */
  | 'bounce'
  /** Deskside's own mail coming back (its header, or From the help desk itself): logged, no ticket. */
  | 'loop'
  /** An unknown sender while IT's policy refuses them: logged, one "not served" answer queued. */
  | 'not-served'
  /** It could not be imported (malformed, too big, no sender…); `reason` says why. */
  | 'failed';

export interface ImportResult {
  outcome: ImportOutcome;
  /** The `mail_imports` row. */
  importId: number;
  ticketId: number | null;
  reason: string | null;
  /**
   * True when the transport is finished with the message (imported, or refused for good, or failed too
   * often); false when it failed and should stay in the mailbox to be tried again later.
   */
  done: boolean;
  /** True when this Message-ID had been imported before: nothing new was written. */
  duplicate: boolean;
}

/** Takes incoming messages. Throws only when it could not record anything (the database is down). */
export interface InboundSink {
  importRaw(raw: Buffer, source: MailSource): Promise<ImportResult>;
}

export type MailboxMode = 'off' | 'imap' | 'smtp';

/** IT's mailbox settings as the transports need them (the `mail_mailbox` row). */
export interface MailboxConfig {
  mode: MailboxMode;
  imap: {
    host: string;
    port: number;
    /** `tls`: TLS from the first byte (993); `starttls`: upgrade after connecting (143); `none`: plain. */
    tls: 'none' | 'starttls' | 'tls';
    user: string;
    password: string;
    folder: string;
  };
  smtp: {
    /** The address the listener binds (127.0.0.1 unless IT puts it on a network interface). */
    host: string;
    port: number;
    /** The recipient addresses accepted (lower case); anything else is refused at RCPT TO. */
    addresses: string[];
    /** PEM files on the server for STARTTLS ('' for both: no STARTTLS). */
    tlsCertFile: string;
    tlsKeyFile: string;
  };
  unknownSenders: 'accept' | 'refuse';
  /** Messages over this size are refused by the listener (552) and logged as failed by the importer. */
  maxMessageBytes: number;
}

/** How often a message that fails is tried before it is logged as failed for good (and left unread). */
export const MAX_IMPORT_ATTEMPTS = 5;

/** The settings screen's "Test connection": what was reached, or what went wrong and where. */
export type MailboxCheckResult =
  | { ok: true; detail: string }
  | { ok: false; kind: 'config' | 'connection' | 'tls' | 'auth' | 'folder' | 'bind'; message: string };
