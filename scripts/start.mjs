// `npm start`: a first look at the whole system on this computer.
//   1. builds Deskside (skip with --no-build);
//   2. starts the help-desk server on embedded SQLite in .deskside-data/ (DESKSIDE_DATA_DIR) with a
//      demo administrator and a demo enrollment secret, both kept in .deskside-data/demo-admin.json
//      (password random on first run; the secret made through the admin API once the server is up),
//      and `--demo`: a believable help desk seeded once (src/server/demo; never in production);
//   3. starts the tray agent enrolled to it — or, where Electron's binary is not installed, enrolls
//      the headless agent (which sends this computer's first snapshot) and runs its health check;
//   4. prints the console address and the sign-in. Ctrl+C stops everything.
// Other arguments go to `deskside server` (e.g. `npm start -- --port 9090`).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const node = process.execPath;
const root = resolve(import.meta.dirname, '..');
process.chdir(root);

const args = process.argv.slice(2).filter((a) => a !== '--no-build');
if (!process.argv.includes('--no-build') && spawnSync(node, ['scripts/build.mjs'], { stdio: 'inherit' }).status !== 0)
  process.exit(2);

const portIndex = args.indexOf('--port');
const port = portIndex >= 0 ? args[portIndex + 1] : (process.env.DESKSIDE_PORT ?? '8080');
const url = `http://127.0.0.1:${port}`;
const dataDir = process.env.DESKSIDE_DATA_DIR ?? '.deskside-data';
const agentDir = join(dataDir, 'agent');
const demoFile = join(dataDir, 'demo-admin.json');
// The CLI children must use this SQLite folder even if the shell has DATABASE_URL set for tests.
const env = { ...process.env };
// The demo's agent checks the gateway on loopback: a demo run sends nothing off this machine.
env.DESKSIDE_PROBE_GATEWAY ??= '127.0.0.1';
env.DESKSIDE_PROBE_RESOLVERS ??= '127.0.0.1';
delete env.DATABASE_URL;

const children = new Set();
let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  const wait = [...children].filter((c) => c.exitCode === null).map((c) => new Promise((r) => c.once('exit', r)));
  const force = setTimeout(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }, 5000);
  void Promise.all(wait).then(() => {
    clearTimeout(force);
    process.exit(code);
  });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(0));

function run(command, commandArgs, options = {}) {
  const child = spawn(command, commandArgs, { env, stdio: 'inherit', ...options });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function finished(child) {
  return new Promise((done) => child.once('exit', (code) => done(code ?? 1)));
}

/** Runs the CLI to completion and returns its exit code and stdout. */
function cli(cliArgs, capture = false) {
  const child = run(node, ['bin/deskside.js', ...cliArgs], capture ? { stdio: ['ignore', 'pipe', 'inherit'] } : {});
  let out = '';
  child.stdout?.on('data', (chunk) => (out += chunk));
  return finished(child).then((code) => ({ code, out }));
}

// ---- the demo administrator: reused across runs, created once
mkdirSync(dataDir, { recursive: true });
let demo = existsSync(demoFile) ? JSON.parse(readFileSync(demoFile, 'utf8')) : null;
const serverEnv = {};
if (!demo) {
  demo = { email: 'demo-admin@deskside.test', password: randomBytes(18).toString('base64url') };
  if (existsSync(join(dataDir, 'deskside.db'))) {
    // An earlier server already made its first administrator; add the demo one beside it.
    demo.email = `demo-admin-${randomBytes(3).toString('hex')}@deskside.test`;
    const made = await cli([
      'server',
      'create-admin',
      '--email',
      demo.email,
      '--password',
      demo.password,
      '--name',
      'Demo administrator',
      '--data-dir',
      dataDir,
    ]);
    if (made.code !== 0) process.exit(2);
  } else {
    Object.assign(serverEnv, { DESKSIDE_ADMIN_EMAIL: demo.email, DESKSIDE_ADMIN_PASSWORD: demo.password });
  }
  writeFileSync(demoFile, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
}

// ---- the server
const server = run(node, ['bin/deskside.js', 'server', '--data-dir', dataDir, '--demo', ...args], {
  env: { ...env, ...serverEnv },
});
server.once('exit', (code) => {
  if (!stopping) {
    console.error(`\nThe server stopped (exit code ${code}).`);
    stopAll(code ?? 1);
  }
});
let healthy = false;
for (let i = 0; i < 300 && !healthy && !stopping; i++) {
  healthy = await fetch(`${url}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (!healthy) await new Promise((r) => setTimeout(r, 100));
}
if (!healthy) {
  console.error(`The server did not answer on ${url}/healthz within 30 s.`);
  stopAll(1);
  await new Promise(() => {});
}

// ---- the demo enrollment secret, made by the server's own command on the same data folder
if (!demo.enrollSecret) {
  const made = await cli(
    ['server', 'enroll-secret', 'create', '--name', 'npm start demo', '--data-dir', dataDir],
    true,
  );
  // "Enrollment secret #1 (npm start demo):" then the secret on a line of its own.
  const secret = made.out.split('\n')[1]?.trim();
  if (made.code !== 0 || !secret) {
    console.error(`\nCreating the enrollment secret failed.\nDelete ${demoFile} (or ${dataDir}/) to start over.`);
    stopAll(1);
    await new Promise(() => {});
  }
  demo.enrollSecret = secret;
  writeFileSync(demoFile, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
}

// ---- the agent: the tray app where Electron's binary exists, the headless agent elsewhere
function electronBinary() {
  try {
    const path = createRequire(join(root, 'package.json'))('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null; // node_modules/electron throws when its binary was never downloaded
  }
}
const agentFlags = ['--server-url', url, '--enroll-secret', demo.enrollSecret];
const electron = electronBinary();
let agentLine;
if (electron) {
  console.log(`\nStarting the Deskside tray app (${electron}) enrolled to ${url} …`);
  const app = run(electron, ['.', ...agentFlags, '--data-dir', agentDir]);
  app.once('exit', (code) => {
    if (!stopping) console.log(`\nThe tray app exited (code ${code}); the server keeps running. Ctrl+C stops it.`);
  });
  agentLine = `Tray agent:  running in the system tray (data in ${agentDir}/)`;
} else {
  console.log(
    "\nElectron's binary is not installed here, so the tray app cannot start; the server keeps running.\n" +
      `The headless agent enrolls this computer and checks it against the server instead:\n`,
  );
  const hasEnroll = spawnSync(node, ['bin/deskside.js', 'enroll', '--help'], { env, stdio: 'ignore' }).status === 0;
  if (hasEnroll) await cli(['enroll', '--server', url, '--secret', demo.enrollSecret, '--data-dir', agentDir]);
  if (!stopping) await cli(['check', '--server', url]);
  agentLine = hasEnroll
    ? `Headless agent: enrolled (data in ${agentDir}/); try: node bin/deskside.js ticket new --data-dir ${agentDir} --help`
    : 'Headless agent: ran its health check against the server';
}
if (stopping) await new Promise(() => {});

console.log(`
Deskside is running.
  Console:    ${url}/
  Sign in:    ${demo.email}  password ${demo.password}
  API:        ${url}/api/v1 (OpenAPI at ${url}/api/v1/openapi.json)
  Enrollment secret: ${demo.enrollSecret}
  ${agentLine}
  Demo sign-in and secret are kept in ${demoFile}; data in ${dataDir}/.
Ctrl+C stops everything.`);
