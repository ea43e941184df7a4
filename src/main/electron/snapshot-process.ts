import { utilityProcess } from 'electron';
import type { SpawnSnapshotProcess } from '../services/snapshot-process';

/**
 * Electron's way of starting the snapshot process: a utility process running the bundled
 * snapshot-worker.js (packaged builds turn ELECTRON_RUN_AS_NODE off, so child_process.fork of the
 * app binary would not run Node).
 */
export function utilitySnapshotProcess(workerPath: string): SpawnSnapshotProcess {
  return () => {
    const child = utilityProcess.fork(workerPath, [], { serviceName: 'Deskside snapshot', stdio: 'ignore' });
    return {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => void child.once('exit', (code) => listener(code)),
      kill: () => void child.kill(),
    };
  };
}
