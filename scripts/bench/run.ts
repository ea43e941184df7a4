// `npm run bench`: prints figures; it asserts nothing. Targets are printed beside the figures.
// BENCH_ONLY=snapshot|server runs one part.
import { cpus, totalmem } from 'node:os';
import { serverBench } from './server.bench';
import { snapshotBench } from './snapshot.bench';

console.log(`# Deskside benchmarks — ${new Date().toISOString()}`);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`);
const only = process.env.BENCH_ONLY;
if (!only || only === 'snapshot') await snapshotBench();
if (!only || only === 'server') await serverBench();
process.exit(0);
