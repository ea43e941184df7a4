import type { AlertMetric, AlertRule } from '../../../shared/api/netmon-alerts';
import type { WindowStats } from './alerts.repo';

/*
 * A rule's condition over one window's per-device, per-target counts (pure). Each device gets one value
 * for the metric (its worst over the rule's targets); a device is bad past the threshold and "clearly good"
 * only on the good side of the resolve threshold (the threshold when none is set). A scope (a device, a
 * site, a target) is bad when enough of its reporting devices are bad, and clearly good when not enough of
 * them are even past the resolve threshold: the gap between the two is the hysteresis.
 */

export interface ScopeResult {
  scopeKey: string;
  /** The scope's kind and value as shown: a device id, a site key or a target key. */
  scope: { kind: 'device' | 'site' | 'target'; value: string };
  bad: boolean;
  clearlyGood: boolean;
  /** Average of the reporting devices' values (metric units). */
  value: number | null;
  /** Devices past the threshold. */
  badDevices: string[];
  reporting: number;
}

/** One device–target's value for the metric; null when the window holds nothing to judge by. */
export function metricValue(metric: AlertMetric, s: WindowStats): number | null {
  switch (metric) {
    case 'latency':
      return s.rtt_n > 0 ? s.rtt_sum_us / s.rtt_n / 1000 : null;
    case 'loss':
      return s.sent > 0 ? ((s.sent - s.received) / s.sent) * 100 : null;
    case 'availability':
      return s.samples > 0 ? (s.answered / s.samples) * 100 : null;
  }
}

const worse = (metric: AlertMetric, a: number, b: number) =>
  metric === 'availability' ? Math.min(a, b) : Math.max(a, b);
/** Whether a value is past a limit on the bad side. */
export const pastLimit = (metric: AlertMetric, value: number, limit: number) =>
  metric === 'availability' ? value < limit : value > limit;

interface DeviceValue {
  device: string;
  value: number;
}

/** Each scope's verdict for a rule. */
export function evaluateRule(rule: AlertRule, rows: readonly WindowStats[]): ScopeResult[] {
  // scope key → device → worst value.
  const groups = new Map<string, { scope: ScopeResult['scope']; devices: Map<string, number> }>();
  for (const row of rows) {
    if (rule.target !== undefined && row.target !== rule.target) continue;
    let scope: ScopeResult['scope'] | null = null;
    if (rule.scope === 'device') {
      if (rule.deviceId === undefined || rule.deviceId === row.device_id)
        scope = { kind: 'device', value: row.device_id };
    } else if (rule.scope === 'site') {
      if (row.site !== null && (rule.site === undefined || rule.site === row.site))
        scope = { kind: 'site', value: row.site };
    } else {
      scope = { kind: 'target', value: row.target };
    }
    if (!scope) continue;
    const value = metricValue(rule.metric, row);
    if (value === null) continue;
    const key = `${scope.kind}:${scope.value}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { scope, devices: new Map() }));
    const before = group.devices.get(row.device_id);
    group.devices.set(row.device_id, before === undefined ? value : worse(rule.metric, before, value));
  }
  const resolveAt = rule.resolveThreshold ?? rule.threshold;
  const results: ScopeResult[] = [];
  for (const [scopeKey, group] of groups) {
    const devices: DeviceValue[] = [...group.devices].map(([device, value]) => ({ device, value }));
    const bad = devices.filter((d) => pastLimit(rule.metric, d.value, rule.threshold));
    const notGood = devices.filter((d) => pastLimit(rule.metric, d.value, resolveAt) || bad.includes(d));
    const holds = (count: number) =>
      group.scope.kind === 'device'
        ? count > 0
        : count >= rule.minDevices && (count / devices.length) * 100 >= rule.minSharePct;
    results.push({
      scopeKey,
      scope: group.scope,
      bad: holds(bad.length),
      clearlyGood: !holds(notGood.length),
      value: devices.reduce((sum, d) => sum + d.value, 0) / devices.length,
      badDevices: bad.map((d) => d.device).sort(),
      reporting: devices.length,
    });
  }
  return results;
}

/** How a value reads in a message: "loss 42%", "latency 380 ms", "availability 0%". */
export function describeValue(metric: AlertMetric, value: number | null): string {
  if (value === null) return `${metric} unknown`;
  const rounded = Math.round(value * 10) / 10;
  return metric === 'latency' ? `latency ${rounded} ms` : `${metric} ${rounded}%`;
}

/** The condition in words: "loss above 5% over 5 min". */
export function describeCondition(rule: Pick<AlertRule, 'metric' | 'threshold' | 'windowMinutes'>): string {
  const unit = rule.metric === 'latency' ? ' ms' : '%';
  const side = rule.metric === 'availability' ? 'below' : 'above';
  return `${rule.metric} ${side} ${rule.threshold}${unit} over ${rule.windowMinutes} min`;
}
