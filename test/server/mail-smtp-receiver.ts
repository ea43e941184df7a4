import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on 127.0.0.1:0 that keeps what it receives; it can refuse messages or logins on demand. */
export interface SmtpReceiver {
  port: number;
  mails: ParsedMail[];
  /** While set, each message is refused with this text (a 451 the outbox retries). */
  reject: string | null;
  close(): Promise<void>;
}

export async function startSmtpReceiver(options: { user?: string; pass?: string } = {}): Promise<SmtpReceiver> {
  const receiver: SmtpReceiver = { port: 0, mails: [], reject: null, close: async () => {} };
  const server = new SMTPServer({
    secure: false,
    disabledCommands: options.user ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !options.user,
    // No reverse DNS query (tests send nothing to a resolver).
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.pass) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (receiver.reject) {
          const error = new Error(receiver.reject) as Error & { responseCode: number };
          error.responseCode = 451;
          callback(error);
          return;
        }
        simpleParser(Buffer.concat(chunks)).then(
          (mail) => {
            receiver.mails.push(mail);
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.port = (server.server.address() as AddressInfo).port;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver;
}
