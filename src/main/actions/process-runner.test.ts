import { describe, expect, it } from 'vitest';
import { createProcessRunner } from './process-runner';
import { createActionPorts } from './ports';
import { liveChildren } from '../../../test/helpers/child-processes';

const never = new AbortController().signal;

describe('createProcessRunner', () => {
  it('passes arguments as they are: no shell reads ";", "$(…)" or backticks', async () => {
    const result = await createProcessRunner().run('echo', ['a;id', '$(id)', '`id`', '--', '-n'], { signal: never });
    expect(result).toEqual({ ok: true, value: { exitCode: 0, stdout: 'a;id $(id) `id` -- -n\n', stderr: '' } });
  });

  it('streams chunks, answers non-zero exits and a missing program', async () => {
    const chunks: string[] = [];
    const runner = createProcessRunner();
    const out = await runner.run('seq', ['1', '3'], { signal: never, onChunk: (c) => chunks.push(c) });
    expect(chunks.join('')).toBe('1\n2\n3\n');
    expect(out.ok && out.value.exitCode).toBe(0);
    const failing = await runner.run('false', [], { signal: never });
    expect(failing.ok && failing.value.exitCode).toBe(1);
    const missing = await runner.run('deskside-no-such-program', [], { signal: never });
    expect(missing).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'deskside-no-such-program is not installed' },
    });
  });

  it.skipIf(process.platform !== 'linux')('kills the program when the signal aborts', async () => {
    const controller = new AbortController();
    const pending = createProcessRunner().run('sleep', ['5'], { signal: controller.signal });
    await expect.poll(liveChildren).toContain('sleep');
    controller.abort();
    expect((await pending).ok).toBe(false);
    await expect.poll(liveChildren).not.toContain('sleep');
  });

  it('gives the program the sanitized environment plus the fixed variables asked for, never the agent’s own', async () => {
    process.env.DESKSIDE_TEST_SECRET = 'hunter2';
    try {
      const result = await createProcessRunner().run('env', [], {
        signal: never,
        env: { DEBIAN_FRONTEND: 'noninteractive' },
      });
      const stdout = result.ok ? result.value.stdout : '';
      expect(stdout).toContain('DEBIAN_FRONTEND=noninteractive');
      expect(stdout).toContain('LC_ALL=C');
      expect(stdout).not.toContain('hunter2');
    } finally {
      delete process.env.DESKSIDE_TEST_SECRET;
    }
  });

  it('does not start a program when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await createProcessRunner().run('sleep', ['5'], { signal: controller.signal });
    expect(result.ok ? null : result.error.code).toBe('aborted');
  });
});

describe('createActionPorts', () => {
  it('redacts log text as the snapshot does: home paths always, the user name when redacting', () => {
    const ports = createActionPorts({
      platform: 'linux',
      privacy: { homeDirs: ['/home/jdoe'], userName: 'jdoe', redact: true },
    });
    expect(ports.redact!('jdoe opened /home/jdoe/a.txt')).toBe('<user> opened ~/a.txt');
    const plain = createActionPorts({
      platform: 'linux',
      privacy: { homeDirs: ['/home/jdoe'], userName: 'jdoe', redact: false },
    });
    expect(plain.redact!('jdoe opened /home/jdoe/a.txt')).toBe('jdoe opened ~/a.txt');
  });
});
