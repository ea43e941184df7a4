import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findingSchema } from '../src/shared/health/finding';
import { snapshotSchema, type Snapshot } from '../src/shared/snapshot';
import { healthySnapshot, withSection } from './fixtures/snapshot-factory';
import { runDeskside } from './helpers/cli';

let dir: string;
let live: Snapshot;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deskside-cli-'));
  const run = await runDeskside(['snapshot', '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  live = snapshotSchema.parse(JSON.parse(run.stdout));
});

describe('deskside snapshot', () => {
  it('prints a full, valid snapshot of this machine as JSON', () => {
    expect(Object.keys(live.probes).sort()).toEqual(Object.keys(snapshotSchema.shape.sections.shape).sort());
    expect(live.sections.os?.platform).toBe('linux');
    expect(live.sections.memory?.totalBytes).toBeGreaterThan(0);
    expect(live.sections.software?.sources.map((s) => s.source)).toContain('dpkg');
    expect(live.sections.software?.packages.find((p) => p.name === 'dpkg')?.version).toBeTruthy();
    expect(live.redacted).toBe(false);
  });

  it('gets every section on this Linux machine, each probe timed', () => {
    const notOk = Object.entries(live.probes).filter(([, report]) => report.status !== 'ok');
    expect(notOk).toEqual([]);
    for (const report of Object.values(live.probes)) expect(report.durationMs).toBeGreaterThan(0);
    expect(live.durationMs).toBeGreaterThanOrEqual(Math.max(...Object.values(live.probes).map((r) => r.durationMs)));
  });

  it('prints a readable summary by default', async () => {
    const run = await runDeskside(['snapshot', '--sections', 'os,memory,storage']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Deskside snapshot of ${live.sections.os?.hostname}`);
    expect(run.stdout).toMatch(/Memory[\s\S]*used \(\d+%\)/);
    expect(run.stdout).toMatch(/Storage[\s\S]*% used/);
    expect(run.stdout).not.toContain('Installed software');
  });

  it('collects only the requested sections', async () => {
    const run = await runDeskside(['snapshot', '--json', '--sections', 'cpu,os']);
    const snapshot = snapshotSchema.parse(JSON.parse(run.stdout));
    expect(Object.keys(snapshot.probes).sort()).toEqual(['cpu', 'os']);
    expect(Object.keys(snapshot.sections).sort()).toEqual(['cpu', 'os']);
  });

  it('redacts identifiers with --redact', async () => {
    const run = await runDeskside(['snapshot', '--json', '--redact', '--sections', 'os,network,processes']);
    const snapshot = snapshotSchema.parse(JSON.parse(run.stdout));
    expect(snapshot.redacted).toBe(true);
    expect(snapshot.sections.os?.user).toBeNull();
    const macs = snapshot.sections.network?.interfaces.map((i) => i.mac).filter((m) => m !== null) ?? [];
    expect(macs.length).toBeGreaterThan(0);
    for (const mac of macs) expect(mac).toMatch(/^hash:[0-9a-f]{16}$/);
    expect(snapshot.sections.processes?.topByMemory.every((p) => p.user === null)).toBe(true);
  });

  it('rejects unknown flags and sections with one clear line and exit code 2', async () => {
    const flag = await runDeskside(['snapshot', '--jsn']);
    expect(flag.code).toBe(2);
    expect(flag.stderr.split('\n')[0]).toBe("deskside: unknown option '--jsn'");
    const section = await runDeskside(['snapshot', '--sections', 'cpu,wifi']);
    expect(section.code).toBe(2);
    expect(section.stderr).toMatch(/^deskside: unknown section wifi; choose from device, os, /);
    const url = await runDeskside(['check', '--server', 'ftp://x']);
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('only http and https URLs are supported');
    const command = await runDeskside(['snapshots']);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/unknown command 'snapshots'/);
  });
});

describe('deskside check', () => {
  it('prints findings as a table with exit code 1 when something needs attention', async () => {
    const sick = withSection(withSection(healthySnapshot(), 'os', { uptimeSeconds: 41 * 86_400 }), 'network', {
      defaultGateway: null,
    });
    const file = join(dir, 'sick.json');
    await writeFile(file, JSON.stringify(sick));
    const run = await runDeskside(['check', '--input', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/SEVERITY\s+CODE\s+FINDING\s+EVIDENCE/);
    expect(run.stdout).toMatch(/critical\s+network\.no_gateway/);
    expect(run.stdout).toMatch(/warning\s+uptime\.long.*41 days/);
  });

  it('exits 0 on a healthy snapshot and prints JSON findings on request', async () => {
    const file = join(dir, 'healthy.json');
    await writeFile(file, JSON.stringify(healthySnapshot()));
    const run = await runDeskside(['check', '--input', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('looks healthy');
    const json = await runDeskside(['check', '--input', file, '--json']);
    expect(JSON.parse(json.stdout)).toEqual([]);
  });

  it('checks this machine live, with findings that validate', async () => {
    const run = await runDeskside(['check', '--json', '--sections', 'os,memory,storage,network']);
    expect([0, 1]).toContain(run.code);
    const findings = (JSON.parse(run.stdout) as unknown[]).map((f) => findingSchema.parse(f));
    expect(run.code).toBe(findings.some((f) => f.severity !== 'info') ? 1 : 0);
  });
});

describe('deskside diff', () => {
  it('lists what changed between two snapshot files', async () => {
    const before = healthySnapshot();
    const after = withSection(healthySnapshot(), 'software', {
      packages: [
        ...(before.sections.software?.packages ?? []),
        { name: 'acme-vpn-client', version: '6.2.0', source: 'dpkg', publisher: null },
      ],
    });
    await writeFile(join(dir, 'a.json'), JSON.stringify(before));
    await writeFile(join(dir, 'b.json'), JSON.stringify(after));
    const run = await runDeskside(['diff', join(dir, 'a.json'), join(dir, 'b.json')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\+\s+software\s+acme-vpn-client/);
    const json = await runDeskside(['diff', join(dir, 'a.json'), join(dir, 'b.json'), '--json']);
    expect(JSON.parse(json.stdout)).toContainEqual(
      expect.objectContaining({ area: 'software', kind: 'added', item: expect.stringContaining('acme-vpn-client') }),
    );
    const same = await runDeskside(['diff', join(dir, 'a.json'), join(dir, 'a.json')]);
    expect(same.stdout).toContain('No changes');
  });

  it('rejects missing, non-JSON and non-snapshot files with one line and exit code 2', async () => {
    await writeFile(join(dir, 'junk.json'), '{ not json');
    await writeFile(join(dir, 'other.json'), JSON.stringify({ hello: 'world' }));
    const missing = await runDeskside(['diff', join(dir, 'nope.json'), join(dir, 'a.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^deskside: cannot read .*nope\.json: no such file\n$/);
    const junk = await runDeskside(['diff', join(dir, 'junk.json'), join(dir, 'a.json')]);
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/^deskside: .*junk\.json is not JSON/);
    const other = await runDeskside(['diff', join(dir, 'other.json'), join(dir, 'a.json')]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^deskside: .*other\.json is not a Deskside snapshot/);
    const args = await runDeskside(['diff', join(dir, 'a.json')]);
    expect(args.code).toBe(2);
    expect(args.stderr).toContain("missing required argument 'after'");
  });
});
