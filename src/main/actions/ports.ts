import { homedir } from 'node:os';
import type { ActionPlatform } from '../../shared/actions/catalog';
import { redactFreeText, type PrivacyOptions } from '../diagnostics/privacy';
import { createSystemInfo } from '../diagnostics/system-info';
import { defaultTempDirs } from './disk.action';
import { createLinuxProcessTable, createSiProcessTable } from './process-table';
import type { ActionPorts } from './types';

/** What the agent knows when it builds the action ports; IT's lists and the collector come from its services. */
export interface ActionPortOptions {
  platform: ActionPlatform;
  privacy: Pick<PrivacyOptions, 'homeDirs' | 'userName' | 'redact'>;
  serviceAllowList?: ActionPorts['serviceAllowList'];
  packageAllowList?: ActionPorts['packageAllowList'];
  collect?: ActionPorts['collect'];
  speedTest?: ActionPorts['speedTest'];
}

/**
 * The ports of this machine for runAction: the process table (/proc on Linux, systeminformation elsewhere,
 * loaded on first use), the temp folders, and the snapshot's privacy pass for log text. Builds nothing
 * that does work until an action asks.
 */
export function createActionPorts(options: ActionPortOptions): ActionPorts {
  const { platform, privacy } = options;
  return {
    serviceAllowList: options.serviceAllowList,
    packageAllowList: options.packageAllowList,
    collect: options.collect,
    speedTest: options.speedTest,
    processes: platform === 'linux' ? createLinuxProcessTable() : createSiProcessTable(createSystemInfo()),
    tempDirs: () => defaultTempDirs(platform),
    redact: (text) =>
      redactFreeText(text, { ...privacy, homeDirs: privacy.homeDirs.length ? privacy.homeDirs : [homedir()] }),
    now: () => new Date(),
  };
}
