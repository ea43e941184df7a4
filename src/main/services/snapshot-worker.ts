import type { CollectReply, CollectRequest } from './snapshot-process';

/*
 * The snapshot process (its own bundle entry, started by snapshot-process.ts or, in the app, by
 * Electron's utilityProcess): waits for one `collect` request, collects, answers, exits. Electron's
 * utility process talks through process.parentPort, a forked Node child through process.send.
 */

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function reply(message: CollectReply): Promise<void> {
  if (parentPort) {
    parentPort.postMessage(message);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

function isRequest(message: unknown): message is CollectRequest {
  const m = message as Partial<CollectRequest> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.type === 'collect' &&
    typeof m.agent?.name === 'string' &&
    typeof m.agent.version === 'string' &&
    typeof m.options === 'object'
  );
}

async function collect(message: unknown): Promise<void> {
  let answer: CollectReply;
  if (!isRequest(message)) answer = { type: 'error', message: 'Not a collect request' };
  else {
    try {
      const { createDiagnostics } = await import('../diagnostics');
      const diagnostics = createDiagnostics(message.agent);
      try {
        answer = { type: 'result', snapshot: await diagnostics.collect(message.options) };
      } finally {
        diagnostics.dispose();
      }
    } catch (error) {
      answer = { type: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  }
  await reply(answer);
  process.exit(0);
}

if (parentPort) parentPort.on('message', (event) => void collect(event.data));
else process.once('message', (message) => void collect(message));
