import { createInterface } from 'node:readline/promises';
import type { Prompter } from './io';

/**
 * Questions on a terminal with node:readline. Ending input (Ctrl+D) or interrupting (Ctrl+C)
 * answers null, so the command can stop cleanly instead of hanging on a closed stream.
 */
export function createTerminalPrompter(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Prompter {
  const rl = createInterface({ input, output });
  const ended = new AbortController();
  rl.once('close', () => ended.abort());
  rl.on('SIGINT', () => {
    output.write('\n');
    rl.close();
  });
  return {
    async ask(question) {
      if (ended.signal.aborted) return null;
      try {
        return await rl.question(question, { signal: ended.signal });
      } catch (error) {
        if (ended.signal.aborted) return null;
        throw error;
      }
    },
    close: () => rl.close(),
  };
}
