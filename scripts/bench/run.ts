// `npm run bench`: prints figures; it asserts nothing. Targets are printed beside the figures.
import { cpus, totalmem } from 'node:os';
import { snapshotBench } from './snapshot.bench';

console.log(`# Deskside benchmarks — ${new Date().toISOString()}`);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`);
await snapshotBench();
