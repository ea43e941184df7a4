import { useState, type ReactElement } from 'react';
import type { NetmonRetention, NetmonSettingsDto } from '../../shared/api/netmon';
import type { NetmonConfig } from '../../shared/netmon/netmon';
import {
  NETMON_INTERVAL_MAX_S,
  NETMON_INTERVAL_MIN_S,
  NETMON_PROBES_MAX,
  NETMON_TIMEOUT_MAX_MS,
} from '../../shared/netmon/netmon-limits';
import type { ApiError } from '../api/http';
import { useNetmonSettings, useSaveNetmonSettings } from '../api/netmon.queries';
import { asApiError } from '../api/query-client';
import { ErrorAlert, Notice } from '../admin/common/ui';
import { ChecksEditor } from './ChecksEditor';
import { SitesEditor } from './SitesEditor';
import { draftOf, targetOf, TargetsEditor, type TargetDraft } from './TargetsEditor';

/*
 * Settings → Network (admins): the probe plan every agent follows (pushed to connected agents on save),
 * how long history is kept, IT-named sites, and the services the server checks itself.
 */

type Plan = Omit<NetmonConfig, 'targets'>;

function NumberField(props: {
  label: string;
  value: number;
  min: number;
  max: number;
  unit?: string;
  hint?: string;
  onChange(n: number): void;
}): ReactElement {
  return (
    <label className="field">
      <span>
        {props.label}
        {props.unit ? <span className="muted"> ({props.unit})</span> : null}
      </span>
      <input
        className="input net-number"
        type="number"
        aria-label={props.label}
        min={props.min}
        max={props.max}
        value={Number.isNaN(props.value) ? '' : props.value}
        required
        onChange={(e) => props.onChange(e.target.valueAsNumber)}
      />
      {props.hint ? <span className="muted small">{props.hint}</span> : null}
    </label>
  );
}

function Toggle(props: { label: string; checked: boolean; onChange(v: boolean): void; hint?: string }): ReactElement {
  return (
    <label className="admin-check net-toggle">
      <input type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} />
      <span>
        {props.label}
        {props.hint ? <span className="muted small"> — {props.hint}</span> : null}
      </span>
    </label>
  );
}

function PlanForm({ saved }: { saved: NetmonSettingsDto }): ReactElement {
  const { targets: savedTargets, ...savedPlan } = saved.plan;
  const [plan, setPlan] = useState<Plan>(savedPlan);
  const [targets, setTargets] = useState<TargetDraft[]>(savedTargets.map(draftOf));
  const [retention, setRetention] = useState<NetmonRetention>(saved.retention);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const save = useSaveNetmonSettings();
  const set = (patch: Partial<Plan>) => setPlan({ ...plan, ...patch });
  return (
    <form
      className="card stack"
      aria-label="Probe plan"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        setNotice(null);
        try {
          const { dnsName, ...rest } = plan;
          await save.mutateAsync({
            plan: { ...rest, ...(dnsName?.trim() ? { dnsName: dnsName.trim() } : {}), targets: targets.map(targetOf) },
            retention,
          });
          setNotice('Network settings saved; connected agents follow the new plan now.');
        } catch (err) {
          setError(asApiError(err));
        }
      }}
    >
      <h2>Probe plan</h2>
      <p className="muted small">
        Every agent follows this plan, each cycle started at a random offset so the fleet never probes in step. Saving
        sends it to every connected agent at once.
      </p>
      <ErrorAlert error={error} />
      <Notice message={notice} />
      <Toggle
        label="Monitor the network from every agent"
        checked={plan.enabled}
        onChange={(enabled) => set({ enabled })}
      />
      <div className="admin-form-row">
        <NumberField
          label="Interval"
          unit="seconds"
          min={NETMON_INTERVAL_MIN_S}
          max={NETMON_INTERVAL_MAX_S}
          value={plan.intervalSeconds}
          onChange={(intervalSeconds) => set({ intervalSeconds })}
        />
        <NumberField
          label="Probes per target"
          unit="echoes or connects"
          min={1}
          max={NETMON_PROBES_MAX}
          value={plan.probes}
          onChange={(probes) => set({ probes })}
        />
        <NumberField
          label="Timeout"
          unit="ms"
          min={100}
          max={NETMON_TIMEOUT_MAX_MS}
          value={plan.timeoutMs}
          onChange={(timeoutMs) => set({ timeoutMs })}
        />
      </div>
      <fieldset className="admin-fieldset">
        <legend>Built-in targets</legend>
        <div className="net-toggle-row">
          <Toggle
            label="Default gateway"
            hint="ICMP where allowed, otherwise TCP connect"
            checked={plan.gateway}
            onChange={(gateway) => set({ gateway })}
          />
          {plan.gateway ? (
            <NumberField
              label="Gateway TCP port"
              min={1}
              max={65535}
              value={plan.gatewayTcpPort}
              onChange={(gatewayTcpPort) => set({ gatewayTcpPort })}
            />
          ) : null}
        </div>
        <div className="net-toggle-row">
          <Toggle
            label="DNS resolvers"
            hint="resolution time through each resolver"
            checked={plan.dns}
            onChange={(dns) => set({ dns })}
          />
          {plan.dns ? (
            <label className="field">
              <span>Name to resolve</span>
              <input
                className="input"
                aria-label="Name to resolve"
                value={plan.dnsName ?? ''}
                placeholder="the server’s host"
                onChange={(e) => set({ dnsName: e.target.value })}
              />
            </label>
          ) : null}
        </div>
        <Toggle
          label="Help-desk server"
          hint="HTTP(S) check with timings"
          checked={plan.server}
          onChange={(server) => set({ server })}
        />
      </fieldset>
      <TargetsEditor value={targets} onChange={setTargets} />
      <fieldset className="admin-fieldset">
        <legend>Bandwidth to the server</legend>
        <div className="admin-form-row">
          <NumberField
            label="Scheduled test every"
            unit="hours; 0 = on request only"
            min={0}
            max={720}
            value={plan.bandwidthEveryHours}
            onChange={(bandwidthEveryHours) => set({ bandwidthEveryHours })}
          />
          <NumberField
            label="Cap per test"
            unit="MiB each way"
            min={1}
            max={100}
            value={Math.round(plan.bandwidthBytes / 1024 / 1024)}
            onChange={(mib) => set({ bandwidthBytes: mib * 1024 * 1024 })}
          />
        </div>
      </fieldset>
      <fieldset className="admin-fieldset">
        <legend>History kept</legend>
        <div className="admin-form-row">
          <NumberField
            label="Raw samples"
            unit="days"
            min={1}
            max={90}
            value={retention.rawDays}
            onChange={(rawDays) => setRetention({ ...retention, rawDays })}
          />
          <NumberField
            label="5-minute averages"
            unit="days"
            min={1}
            max={3650}
            value={retention.fiveMinuteDays}
            onChange={(fiveMinuteDays) => setRetention({ ...retention, fiveMinuteDays })}
          />
          <NumberField
            label="Hourly averages"
            unit="days"
            min={1}
            max={10950}
            value={retention.hourlyDays}
            onChange={(hourlyDays) => setRetention({ ...retention, hourlyDays })}
          />
        </div>
        <p className="muted small">
          The 1 h chart reads raw samples, 24 h the 5-minute averages, 7 d and 90 d the hourly ones.
        </p>
      </fieldset>
      <div>
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          Save probe plan and retention
        </button>
      </div>
    </form>
  );
}

/** The Network tab of Settings. */
export function NetworkSettingsTab(): ReactElement {
  const settings = useNetmonSettings();
  return (
    <div className="stack">
      <p className="muted">
        Every agent probes the network as its computer sees it. Alert rules on these results are set elsewhere; here are
        what is probed, how long it is kept, how devices are grouped into sites, and what the server checks itself.
      </p>
      <ErrorAlert error={settings.error} />
      {settings.data ? (
        <PlanForm saved={settings.data} />
      ) : settings.isPending ? (
        <p className="muted">Loading…</p>
      ) : null}
      <SitesEditor />
      <ChecksEditor />
    </div>
  );
}
