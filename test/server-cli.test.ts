import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeskside } from './helpers/cli';

describe('deskside server administration commands', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'deskside-admin-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const data = () => ['--data-dir', dir];

  it('creates an administrator, printing a generated password, and refuses a duplicate', async () => {
    const created = await runDeskside(['server', 'create-admin', '--email', 'it@example.com', ...data()]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created administrator it@example\.com with password \S{16}\n$/);
    const again = await runDeskside([
      'server',
      'create-admin',
      '--email',
      'it@example.com',
      '--password',
      'another-password-1',
      ...data(),
    ]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('deskside: A staff account with it@example.com already exists\n');
    const short = await runDeskside([
      'server',
      'create-admin',
      '--email',
      'x@example.com',
      '--password',
      'short',
      ...data(),
    ]);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('at least 12 characters');
  });

  it('checks its flags with the API schema: a name or email the console would refuse is refused here', async () => {
    const long = await runDeskside([
      'server',
      'create-admin',
      '--email',
      'y@example.com',
      '--name',
      'n'.repeat(121),
      ...data(),
    ]);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/^deskside: --name: .*120/);
    const blank = await runDeskside(['server', 'create-admin', '--email', 'y@example.com', '--name', '   ', ...data()]);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toMatch(/^deskside: --name: /);
    const email = await runDeskside(['server', 'create-admin', '--email', 'not-an-address', ...data()]);
    expect(email.code).toBe(2);
    expect(email.stderr).toMatch(/^deskside: --email: /);
    const secret = await runDeskside(['server', 'enroll-secret', 'create', '--name', 'x'.repeat(101), ...data()]);
    expect(secret.code).toBe(2);
    expect(secret.stderr).toMatch(/^deskside: --name: .*100/);
    // Nothing was created by the refused commands.
    expect((await runDeskside(['server', 'enroll-secret', 'list', ...data()])).stdout).not.toContain('xxxx');
  });

  it('creates, lists and revokes enrollment secrets without ever listing the secret', async () => {
    const created = await runDeskside(['server', 'enroll-secret', 'create', '--name', 'laptops 2026', ...data()]);
    expect(created.code).toBe(0);
    const secret = /^(dse_\S+)$/m.exec(created.stdout)?.[1];
    expect(secret).toBeDefined();
    const listed = await runDeskside(['server', 'enroll-secret', 'list', ...data()]);
    expect(listed.stdout).toMatch(/1\s+laptops 2026\s+\S+\s+0\s+active/);
    expect(listed.stdout).not.toContain(String(secret));
    expect((await runDeskside(['server', 'enroll-secret', 'revoke', '1', ...data()])).stdout).toBe(
      'Revoked enrollment secret #1\n',
    );
    expect((await runDeskside(['server', 'enroll-secret', 'list', ...data()])).stdout).toMatch(/laptops 2026.*revoked/);
    const unknown = await runDeskside(['server', 'enroll-secret', 'revoke', '42', ...data()]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('deskside: no enrollment secret #42\n');
    const bad = await runDeskside(['server', 'enroll-secret', 'revoke', 'abc', ...data()]);
    expect(bad.stderr).toBe('deskside: not a secret id: abc\n');
  });
});
