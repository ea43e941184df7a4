import { describe, expect, it } from 'vitest';
import { AGENT_RUN_OPTIONS, parseAgentRunArgs } from './agent-run';
import { UsageError } from './io';

describe('parseAgentRunArgs', () => {
  it('gives what commander gave: the log level by default, nothing else', () => {
    expect(parseAgentRunArgs([])).toEqual({ logLevel: 'info' });
  });

  it('reads every declared flag, spelled with a space or with =', () => {
    expect(
      parseAgentRunArgs([
        '--data-dir',
        '/var/lib/deskside',
        '--log-level=warn',
        '--server-url',
        'https://helpdesk.example.com//',
        '--enroll-secret=dse_abc',
        '--config',
        '/etc/deskside/agent.json',
      ]),
    ).toEqual({
      dataDir: '/var/lib/deskside',
      logLevel: 'warn',
      serverUrl: 'https://helpdesk.example.com',
      enrollSecret: 'dse_abc',
      config: '/etc/deskside/agent.json',
    });
    expect(Object.keys(AGENT_RUN_OPTIONS).sort()).toEqual([
      'config',
      'dataDir',
      'enrollSecret',
      'logLevel',
      'serverUrl',
    ]);
  });

  it.each([
    [['--log-level', 'loud'], /--log-level must be one of debug, info, warn, error: loud/],
    [['--server-url', 'ftp://x'], /only http and https URLs are supported/],
    [['--bogus'], /agent run: Unknown option '--bogus'/],
    [['extra'], /agent run: Unexpected argument 'extra'/],
    [['--data-dir'], /agent run: Option '--data-dir <value>' argument missing/],
  ])('refuses %j with a usage error', (args, message) => {
    expect(() => parseAgentRunArgs(args)).toThrow(UsageError);
    expect(() => parseAgentRunArgs(args)).toThrow(message);
  });
});
