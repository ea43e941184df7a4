import type { Probe } from '../probe';
import { batteryProbe } from './battery.probe';
import { connectivityProbe } from './connectivity.probe';
import { cpuProbe } from './cpu.probe';
import { deviceProbe } from './device.probe';
import { displaysProbe } from './displays.probe';
import { eventsProbe } from './events.probe';
import { memoryProbe } from './memory.probe';
import { networkProbe } from './network.probe';
import { osProbe } from './os.probe';
import { printersProbe } from './printers.probe';
import { remoteToolsProbe } from './remote-tools.probe';
import { processesProbe } from './processes.probe';
import { securityProbe } from './security.probe';
import { servicesProbe } from './services.probe';
import { softwareProbe } from './software.probe';
import { storageProbe } from './storage.probe';
import { usbProbe } from './usb.probe';

/** Every probe, one per snapshot section. */
export const ALL_PROBES: readonly Probe[] = [
  deviceProbe,
  osProbe,
  cpuProbe,
  memoryProbe,
  storageProbe,
  batteryProbe,
  displaysProbe,
  networkProbe,
  connectivityProbe,
  processesProbe,
  servicesProbe,
  softwareProbe,
  printersProbe,
  usbProbe,
  eventsProbe,
  securityProbe,
  remoteToolsProbe,
] as Probe[];
