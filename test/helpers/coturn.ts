import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './server-process';

/*
 * coturn (Debian's `coturn` package, binary `turnserver`) for the screen-share tests: started on a free port
 * of 127.0.0.1 with relays on 127.0.0.1 only, coturn's REST-API shared secret (the scheme the server's TURN
 * credentials follow), no TLS, no CLI, no configuration file; loopback peers allowed (both peers are on this
 * machine). Nothing listens on another interface.
 */

export interface Coturn {
  /** The TURN URL to configure (UDP). */
  url: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/** The path of turnserver, or null when coturn is not installed. */
export function turnserverPath(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v turnserver || ls /usr/bin/turnserver 2>/dev/null'], {
    encoding: 'utf8',
  });
  return found.stdout.trim().split('\n')[0] || null;
}

export async function startCoturn(secret: string): Promise<Coturn> {
  const binary = turnserverPath();
  if (!binary) throw new Error('turnserver not found (apt-get install -y coturn)');
  const port = await freePort();
  // A relay range of its own, away from the listening port, so two runs rarely meet.
  const minPort = 40_000 + Math.floor(Math.random() * 200) * 100;
  const args = [
    '-n',
    `--listening-ip=127.0.0.1`,
    `--relay-ip=127.0.0.1`,
    `--listening-port=${port}`,
    `--min-port=${minPort}`,
    `--max-port=${minPort + 99}`,
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    '--realm=deskside.test',
    '--no-tls',
    '--no-dtls',
    '--no-cli',
    '--allow-loopback-peers',
    '--no-multicast-peers',
    '--log-file=stdout',
    '--simple-log',
    '--verbose',
  ];
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`turnserver exited (${child.exitCode}):\n${log}`);
    const listening = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (listening) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`turnserver did not listen on 127.0.0.1:${port}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    port,
    output: () => log,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
