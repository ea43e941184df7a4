import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { InboundSink } from './inbound';
import { errorText, type InboundLog } from './inbound-log';

/*
 * Deskside's own SMTP listener (email in, "received directly"): the organisation's mail system relays the
 * help desk's addresses to it. No AUTH (it is a relay target, not a submission server), STARTTLS only when
 * given a key and certificate, recipients limited to the help desk's addresses, SIZE advertised and
 * enforced while the message streams in (nothing past the limit is kept in memory). A message the importer
 * took, whatever became of it, is answered 250 (the importer logged it); only an importer that threw (the
 * database is down) makes it 451, so the sending server keeps the message and tries again later.
 */

export interface SmtpListenerOptions {
  /** The address to bind (127.0.0.1 unless IT puts it on a network interface). */
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** The recipient addresses accepted (compared case-insensitively); anything else is refused at RCPT TO. */
  addresses: string[];
  maxMessageBytes: number;
  sink: InboundSink;
  log: InboundLog;
  /** PEM key and certificate: STARTTLS is offered only with these. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Connections at once (default 20); more are turned away with 421. */
  maxClients?: number;
  /** A connection silent this long is closed (default 60 s). */
  socketTimeoutMs?: number;
}

export interface SmtpListener {
  /** The port it listens on (the one chosen when asked for 0). */
  port: number;
  close(): Promise<void>;
}

/** An SMTP reply for smtp-server: the code is the reply code, the enhanced status code is added from it. */
function reply(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** Starts listening; rejects when the address cannot be bound (port in use, no such address). */
export async function startSmtpListener(opts: SmtpListenerOptions): Promise<SmtpListener> {
  const accepted = new Set(opts.addresses.map((a) => a.trim().toLowerCase()).filter(Boolean));
  const log = opts.log;
  const options: SMTPServerOptions & { rejectOversized: boolean } = {
    banner: 'Deskside help desk mail listener',
    secure: false,
    ...(opts.tls ? { key: opts.tls.key, cert: opts.tls.cert } : {}),
    disabledCommands: opts.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    authOptional: true,
    // The reply codes carry RFC 3463 codes (550 5.1.1, 552 5.3.4, 451 4.3.0) that mail systems act on.
    hideENHANCEDSTATUSCODES: false,
    size: opts.maxMessageBytes,
    rejectOversized: true,
    maxClients: opts.maxClients ?? 20,
    socketTimeout: opts.socketTimeoutMs ?? 60_000,
    closeTimeout: 2_000,
    // Nothing here uses the client's host name: no reverse DNS query per connection.
    disableReverseLookup: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (accepted.has(address.address.trim().toLowerCase())) return callback();
      log.info({ to: address.address }, 'email in: recipient refused (not a help desk address)');
      callback(reply(550, `No such mailbox here: <${address.address}> is not a help desk address`));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        // Past the limit nothing more is kept: the message is refused with 552 once the stream ends.
        if (bytes <= opts.maxMessageBytes) chunks.push(chunk);
        else chunks.length = 0;
      });
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded || bytes > opts.maxMessageBytes) {
          log.info({ bytes, limit: opts.maxMessageBytes, remote: session.remoteAddress }, 'email in: message too big');
          callback(reply(552, `Message too big: the limit is ${opts.maxMessageBytes} bytes`));
          return;
        }
        const raw = Buffer.concat(chunks, bytes);
        opts.sink.importRaw(raw, 'smtp').then(
          (result) => {
            log.info(
              { outcome: result.outcome, importId: result.importId, ticketId: result.ticketId, done: result.done },
              'email in: message received over SMTP',
            );
            callback(null, 'Message accepted by the help desk');
          },
          (error: unknown) => {
            log.error({ error: errorText(error) }, 'email in: could not store a message received over SMTP (451)');
            callback(reply(451, 'The help desk could not store the message, try again later'));
          },
        );
      });
    },
  };
  const server = new SMTPServer(options);
  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    server.once('error', failed);
    server.listen(opts.port, opts.host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  server.on('error', (error) => log.warn({ error: errorText(error) }, 'email in: SMTP listener error'));
  const { port } = server.server.address() as AddressInfo;
  log.info({ host: opts.host, port }, 'email in: SMTP listener started');
  let closing: Promise<void> | null = null;
  return {
    port,
    close() {
      closing ??= new Promise<void>((resolve) => server.close(() => resolve())).then(() =>
        log.info({ host: opts.host, port }, 'email in: SMTP listener stopped'),
      );
      return closing;
    },
  };
}
