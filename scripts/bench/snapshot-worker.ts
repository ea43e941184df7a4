// The warm in-process snapshot (what the tray app pays), run in its own process so its peak memory is its own.
// argv: deskside <runs> [serverUrl] [checkUrl]
import { gzipSync } from 'node:zlib';
import { createDiagnostics } from '../../src/main/diagnostics';

const [, runsArg = '5', serverUrl, checkUrl] = process.argv.slice(2);
const runs = Number(runsArg);
const times: number[] = [];
let size = { raw: 0, gzip: 0 };
let probes: Record<string, number> = {};
const diagnostics = createDiagnostics({ name: 'bench', version: '0' });

for (let i = 0; i < runs + 1; i++) {
  const started = performance.now();
  {
    const snapshot = await diagnostics.collect({
      settings: { serverUrl: serverUrl ?? null, checkUrls: checkUrl ? [checkUrl] : [] },
    });
    const json = JSON.stringify(snapshot);
    size = { raw: Buffer.byteLength(json), gzip: gzipSync(json).length };
    probes = Object.fromEntries(Object.entries(snapshot.probes).map(([k, v]) => [k, v.durationMs]));
    const failed = Object.entries(snapshot.probes).filter(([, v]) => v.status !== 'ok');
    if (i === 0 && failed.length)
      console.error(`  (not ok here: ${failed.map(([k, v]) => `${k}=${v.status}`).join(', ')})`);
  }
  // The first run pays module loading and first-call caches; it is reported apart as "cold".
  times.push(performance.now() - started);
}
diagnostics.dispose();
process.stdout.write(
  JSON.stringify({
    cold: times[0],
    warm: times.slice(1),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    size,
    probes,
  }),
);
process.exit(0);
