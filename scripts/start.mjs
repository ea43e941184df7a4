// `npm start`: builds Deskside, starts the help-desk server on embedded SQLite (data in
// .deskside-data/), and runs the headless agent's health check of this computer against it.
// Extra arguments go to `deskside server` (e.g. `npm start -- --port 9090`). Ctrl+C stops it.
import { spawn, spawnSync } from 'node:child_process';

const node = process.execPath;
if (spawnSync(node, ['scripts/build.mjs'], { stdio: 'inherit' }).status !== 0) process.exit(2);

const args = process.argv.slice(2);
const portIndex = args.indexOf('--port');
const port = portIndex >= 0 ? args[portIndex + 1] : (process.env.DESKSIDE_PORT ?? '8080');
const dataDir = process.env.DESKSIDE_DATA_DIR ?? '.deskside-data';
const server = spawn(node, ['bin/deskside.js', 'server', '--data-dir', dataDir, ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));

const url = `http://127.0.0.1:${port}`;
for (let i = 0; i < 100; i++) {
  const up = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
  if (up) break;
  await new Promise((r) => setTimeout(r, 100));
}
console.log('\nThe headless agent checks this computer against the server:\n');
spawnSync(node, ['bin/deskside.js', 'check', '--server', url], { stdio: 'inherit' });
console.log(`
Deskside is running: API ${url}/api/v1 (OpenAPI document at ${url}/api/v1/openapi.json), data in ${dataDir}/.
Enroll devices with a secret from: npx deskside server enroll-secret create --name laptops --data-dir ${dataDir}
Ctrl+C stops the server.`);
