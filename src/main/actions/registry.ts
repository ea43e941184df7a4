import { clearTempAction } from './disk.action';
import { createRenewDhcpAction } from './dhcp.action';
import { dnsLookupAction, flushDnsAction } from './dns.action';
import { httpCheckAction } from './http-check.action';
import { logsCollectAction } from './logs.action';
import { packageInstallAction } from './package.action';
import { pingAction } from './ping.action';
import { createSpoolerAction } from './printing.action';
import { processEndAction, processTopAction } from './process.action';
import { serviceRestartAction } from './service.action';
import { snapshotRefreshAction } from './snapshot.action';
import { speedTestAction } from './speed-test.action';
import { tcpCheckAction } from './tcp-check.action';
import { tracerouteAction } from './traceroute.action';
import type { ActionRegistry } from './types';

/** Every catalog action's implementations, per OS. A catalog entry without one here fails to typecheck. */
export const ACTION_REGISTRY: ActionRegistry = {
  'snapshot.refresh': snapshotRefreshAction,
  'net.ping': pingAction,
  'net.traceroute': tracerouteAction,
  'net.dns-lookup': dnsLookupAction,
  'net.tcp-check': tcpCheckAction,
  'net.http-check': httpCheckAction,
  'net.speed-test': speedTestAction,
  'process.top': processTopAction,
  'logs.collect': logsCollectAction,
  'dns.flush-cache': flushDnsAction,
  'net.renew-dhcp': createRenewDhcpAction(),
  'printing.restart-spooler': createSpoolerAction(),
  'disk.clear-temp': clearTempAction,
  'service.restart': serviceRestartAction,
  'process.end': processEndAction,
  'package.install': packageInstallAction,
};
