import type { ImportResult, InboundSink, MailSource } from '../../src/server/mail/inbound/inbound';
import type { InboundLog } from '../../src/server/mail/inbound/inbound-log';

/*
 * An InboundSink for the transport tests: records every message it is handed and answers as told, per
 * message or for all of them: done (a ticket), done:false (try again later) or a throw (the database is
 * down). Tests wait for what they expect with `waitFor`.
 */

export type SinkBehaviour = 'done' | 'not-done' | 'throw';

export interface ReceivedMessage {
  raw: Buffer;
  source: MailSource;
  /** What the sink answered. */
  answered: SinkBehaviour;
}

export interface FakeInboundSink extends InboundSink {
  received: ReceivedMessage[];
  /** The answer for messages no `rule` matches. */
  behaviour: SinkBehaviour;
  /** Per-message answers: the first rule whose test matches the raw text decides. */
  rules: { test: (raw: string) => boolean; behaviour: SinkBehaviour }[];
  /** Messages whose text contains `needle`. */
  matching(needle: string): ReceivedMessage[];
  /** Resolves when `predicate` holds, checked every 50 ms; rejects after `timeoutMs`. */
  waitFor(predicate: (received: ReceivedMessage[]) => boolean, timeoutMs?: number, what?: string): Promise<void>;
}

export function fakeInboundSink(behaviour: SinkBehaviour = 'done'): FakeInboundSink {
  let nextId = 1;
  const sink: FakeInboundSink = {
    received: [],
    behaviour,
    rules: [],
    matching: (needle) => sink.received.filter((m) => m.raw.toString('utf8').includes(needle)),
    async importRaw(raw, source) {
      const text = raw.toString('utf8');
      const answer = sink.rules.find((r) => r.test(text))?.behaviour ?? sink.behaviour;
      sink.received.push({ raw: Buffer.from(raw), source, answered: answer });
      await new Promise((r) => setImmediate(r));
      if (answer === 'throw') throw new Error('database is down (fake sink)');
      const result: ImportResult = {
        outcome: answer === 'done' ? 'ticket' : 'failed',
        importId: nextId++,
        ticketId: answer === 'done' ? 100 + nextId : null,
        reason: answer === 'done' ? null : 'told to fail (fake sink)',
        done: answer === 'done',
        duplicate: false,
      };
      return result;
    },
    async waitFor(predicate, timeoutMs = 15_000, what = 'the expected messages') {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(sink.received)) {
        if (Date.now() > deadline)
          throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${sink.received.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  return sink;
}

/** A logger that keeps its lines (as JSON text) so tests can read them and check no secret is in them. */
export function recordingLog(): InboundLog & { lines: string[]; text(): string } {
  const lines: string[] = [];
  const write =
    (level: string) =>
    (...args: unknown[]) => {
      lines.push(`${level} ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`);
    };
  const log = {
    lines,
    text: () => lines.join('\n'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
  return log as unknown as InboundLog & { lines: string[]; text(): string };
}
