import { describe, expect, it } from 'vitest';
import { WORKER_NODE_FLAGS, workerExecArgv } from './cluster';

describe('workerExecArgv', () => {
  it("adds the worker flags to the primary's own", () => {
    expect(workerExecArgv(['--enable-source-maps'])).toEqual(['--enable-source-maps', ...WORKER_NODE_FLAGS]);
  });

  it('keeps a value the primary was given for the same flag', () => {
    expect(workerExecArgv(['--max-semi-space-size=64'])).toEqual(['--max-semi-space-size=64']);
  });
});
