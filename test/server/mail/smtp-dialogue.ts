import { connect } from 'node:net';

/*
 * A plain SMTP client for the listener tests: sends lines one at a time and collects the full reply to
 * each (multi-line replies joined), so a test can read exact codes. `DATA` content is sent as one write.
 */

export interface SmtpDialogue {
  greeting: string;
  /** Sends a line (CRLF added) and returns the reply. */
  send(line: string): Promise<string>;
  /** Sends raw bytes (a message body ending in CRLF.CRLF) and returns the reply. */
  sendRaw(data: string | Buffer): Promise<string>;
  close(): void;
}

export async function smtpDialogue(port: number, timeoutMs = 10_000): Promise<SmtpDialogue> {
  const socket = connect(port, '127.0.0.1');
  let buffer = '';
  let waiting: ((reply: string) => void) | null = null;
  let failed: Error | null = null;
  const replies: string[] = [];
  const deliver = () => {
    if (waiting && replies.length) {
      const next = waiting;
      waiting = null;
      next(replies.shift()!);
    }
  };
  let current: string[] = [];
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    let end: number;
    while ((end = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      current.push(line);
      if (/^\d{3} /.test(line) || /^\d{3}$/.test(line)) {
        replies.push(current.join('\n'));
        current = [];
      }
    }
    deliver();
  });
  socket.on('error', (error) => (failed = error));
  socket.on('close', () => {
    if (waiting) {
      const next = waiting;
      waiting = null;
      next(`closed${failed ? `: ${failed.message}` : ''}`);
    }
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no SMTP reply in time')), timeoutMs);
      waiting = (reply) => {
        clearTimeout(timer);
        resolve(reply);
      };
      deliver();
    });
  const greeting = await next();
  return {
    greeting,
    send: (line) => {
      socket.write(`${line}\r\n`);
      return next();
    },
    sendRaw: (data) => {
      socket.write(data);
      return next();
    },
    close: () => socket.destroy(),
  };
}
