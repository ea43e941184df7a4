import { join } from 'node:path';
import type { AgentPlatform } from '../../src/main/services/agent-platform';
import { silentLogger } from '../../src/main/services/headless-agent';
import { createJsonSettingsStore } from '../../src/main/services/settings-store';

/** The agent platform the bench workers run under: a private data folder, IT's server and secret, no logs. */
export function benchAgentPlatform(dataDir: string, serverUrl: string, enrollSecret: string): AgentPlatform {
  return {
    appName: 'Deskside',
    version: '0.1.0-bench',
    dataDir,
    logFile: join(dataDir, 'agent.log'),
    managedConfigPath: join(dataDir, 'config.json'),
    managed: { serverUrl, enrollSecret, sources: ['bench'] },
    settings: createJsonSettingsStore(join(dataDir, 'settings.json')),
    logger: silentLogger,
    openExternal: async () => {},
  };
}
