import si from 'systeminformation';

/** The systeminformation calls the probes use: a port, so tests can substitute answers. */
export type SystemInfo = Pick<
  typeof si,
  | 'system'
  | 'bios'
  | 'chassis'
  | 'osInfo'
  | 'time'
  | 'cpu'
  | 'currentLoad'
  | 'cpuTemperature'
  | 'mem'
  | 'diskLayout'
  | 'fsSize'
  | 'battery'
  | 'graphics'
  | 'networkInterfaces'
  | 'networkInterfaceDefault'
  | 'networkGatewayDefault'
  | 'wifiConnections'
  | 'processes'
  | 'services'
  | 'printer'
  | 'usb'
>;

/** The real systeminformation module. */
export function createSystemInfo(): SystemInfo {
  return si;
}
