import { describe, expect, it } from 'vitest';
import { MESSAGE_BODY_MAX } from '../../shared/ticket-fields';
import { commandEndedMessage, commandResultMessage } from './command-result-message';
import { capUtf8 } from './command-updates.service';

describe('commandResultMessage', () => {
  const base = { ok: true, exitCode: 0, durationMs: 420, output: 'hello\n', error: null };

  it('names the action, how it ended, exit code and duration, with the output in a code block', () => {
    expect(commandResultMessage({ title: 'Ping' }, 'Sam', base)).toBe(
      [
        '**Ping** succeeded (requested by Sam)',
        '',
        '- Exit code: 0',
        '- Duration: 420 ms',
        '',
        '```',
        'hello',
        '```',
      ].join('\n'),
    );
  });

  it('fences output longer than any backtick run in it, so the output cannot end the block', () => {
    const body = commandResultMessage({ title: 'Ping' }, null, { ...base, output: 'a ````` b' });
    expect(body).toContain('``````\na ````` b\n``````');
  });

  it('says a failure, a missing exit code, the error and no output', () => {
    const body = commandResultMessage({ title: 'Flush' }, null, {
      ok: false,
      exitCode: null,
      durationMs: 2500,
      output: '',
      error: 'timed out\nafter 2 s',
    });
    expect(body).toContain('**Flush** failed');
    expect(body).toContain('- Exit code: none');
    expect(body).toContain('- Duration: 2.5 s');
    expect(body).toContain('- Error: timed out after 2 s');
    expect(body).toContain('_No output._');
  });

  it('cuts long output so the message fits a ticket message, and says so', () => {
    const body = commandResultMessage({ title: 'Collect logs' }, null, { ...base, output: 'x'.repeat(60_000) });
    expect(body.length).toBeLessThanOrEqual(MESSAGE_BODY_MAX);
    expect(body).toMatch(/Output cut to \d+ characters/);
  });
});

describe('capUtf8', () => {
  it('keeps text within the byte cap without splitting a character', () => {
    expect(capUtf8('abc', 10)).toBe('abc');
    expect(capUtf8('abcdef', 3)).toBe('abc');
    // "é" is two bytes: a cut inside it drops it whole.
    expect(capUtf8('aé', 2)).toBe('a');
    expect(Buffer.byteLength(capUtf8('€'.repeat(100), 50))).toBeLessThanOrEqual(50);
  });
});

describe('commandEndedMessage', () => {
  it('says a prompt nobody answered ran nothing and names no one; a missing result may have half-run', () => {
    expect(commandEndedMessage({ title: 'Ping' }, 'Sam', 'expired', 'No answer before the request expired')).toBe(
      '**Ping** was not run (requested by Sam): no answer before the request expired. Nobody allowed or denied it.',
    );
    const failed = commandEndedMessage({ title: 'Flush' }, null, 'failed', 'The device did not report a result');
    expect(failed).toBe(
      '**Flush** failed: the device did not report a result. It may or may not have finished on the device.',
    );
    expect(failed).not.toMatch(/denied|employee/i);
  });
});
