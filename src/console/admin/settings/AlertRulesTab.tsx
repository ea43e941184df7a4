import { useState, type InputHTMLAttributes, type ReactElement } from 'react';
import type { AlertMetric, AlertRuleBody, AlertScope } from '../../../shared/api/netmon-alerts';
import { useAlertRuleMutations, useAlertRules, type AlertRuleDto } from '../../api/netmon-alerts.queries';
import { EditableList, FormAlerts, useEntryForm, type EntryFormProps, type RowActions } from '../common/EditableList';
import { ErrorAlert, Notice } from '../common/ui';

/*
 * Network alert rules (issue 14): what IT watches (latency, loss or availability over a window, for a device,
 * a share of a site's devices or of a target's), when it fires and resolves, whether it announces to the
 * affected agents and calls a webhook. Admins add, switch on and off, and remove rules; each rule shows how
 * many of its scopes are pending or firing.
 */

const UNIT: Record<AlertMetric, string> = { latency: 'ms', loss: '%', availability: '%' };

interface Draft {
  name: string;
  metric: AlertMetric;
  threshold: string;
  resolveThreshold: string;
  target: string;
  scope: AlertScope;
  site: string;
  minSharePct: string;
  minDevices: string;
  windowMinutes: string;
  forMinutes: string;
  resolveMinutes: string;
  announce: boolean;
  webhookUrl: string;
  webhookSecret: string;
}

const EMPTY: Draft = {
  name: '',
  metric: 'loss',
  threshold: '5',
  resolveThreshold: '',
  target: '',
  scope: 'site',
  site: '',
  minSharePct: '30',
  minDevices: '2',
  windowMinutes: '5',
  forMinutes: '2',
  resolveMinutes: '5',
  announce: true,
  webhookUrl: '',
  webhookSecret: '',
};

/** The request body of a draft: empty optional fields are left out. */
export function ruleBodyOf(d: Draft): AlertRuleBody {
  return {
    name: d.name.trim(),
    metric: d.metric,
    threshold: Number(d.threshold),
    ...(d.resolveThreshold.trim() ? { resolveThreshold: Number(d.resolveThreshold) } : {}),
    ...(d.target.trim() ? { target: d.target.trim() } : {}),
    scope: d.scope,
    ...(d.scope === 'site' && d.site.trim() ? { site: d.site.trim() } : {}),
    minSharePct: Number(d.minSharePct),
    minDevices: Number(d.minDevices),
    windowMinutes: Number(d.windowMinutes),
    forMinutes: Number(d.forMinutes),
    resolveMinutes: Number(d.resolveMinutes),
    announcement: d.announce ? { severity: 'warning' } : null,
    webhook: d.webhookUrl.trim()
      ? { url: d.webhookUrl.trim(), ...(d.webhookSecret ? { secret: d.webhookSecret } : {}) }
      : null,
  };
}

/** An existing rule as a request body (to switch it on or off). */
function bodyOfRule(r: AlertRuleDto, enabled: boolean): AlertRuleBody {
  return {
    name: r.name,
    enabled,
    metric: r.metric,
    threshold: r.threshold,
    ...(r.resolveThreshold !== null ? { resolveThreshold: r.resolveThreshold } : {}),
    ...(r.target !== null ? { target: r.target } : {}),
    scope: r.scope,
    ...(r.deviceId !== null ? { deviceId: r.deviceId } : {}),
    ...(r.site !== null ? { site: r.site } : {}),
    minSharePct: r.minSharePct,
    minDevices: r.minDevices,
    windowMinutes: r.windowMinutes,
    forMinutes: r.forMinutes,
    resolveMinutes: r.resolveMinutes,
    announcement: r.announcement
      ? {
          severity: r.announcement.severity,
          ...(r.announcement.title !== null ? { title: r.announcement.title } : {}),
          ...(r.announcement.body !== null ? { body: r.announcement.body } : {}),
        }
      : null,
    webhook: r.webhook ? { url: r.webhook.url } : null,
  };
}

function describeRule(r: AlertRuleDto): string {
  const side = r.metric === 'availability' ? 'below' : 'above';
  const who =
    r.scope === 'device'
      ? 'a device'
      : `≥ ${r.minSharePct}% (min ${r.minDevices}) of the devices ${r.scope === 'site' ? `at ${r.site ?? 'each site'}` : `on ${r.target ?? 'each target'}`}`;
  return `${r.metric} ${side} ${r.threshold} ${UNIT[r.metric]}${r.target ? ` on ${r.target}` : ''} over ${r.windowMinutes} min for ${who}; fires after ${r.forMinutes} min, resolves after ${r.resolveMinutes} min`;
}

/** The form that adds a rule (rules are switched on and off, or removed, from the list). */
function RuleForm({ onSaved }: EntryFormProps<AlertRuleDto>): ReactElement {
  const { create } = useAlertRuleMutations();
  const { draft, set, error, submit } = useEntryForm<Draft>({
    initial: EMPTY,
    reset: EMPTY,
    save: (d) => create.mutateAsync(ruleBodyOf(d)),
    savedMessage: (d) => `Rule “${d.name.trim()}” added.`,
    onSaved,
  });
  // A text-like field of the draft; numbers unless `attrs` says otherwise.
  const field = (
    key: keyof Draft,
    label: string,
    attrs: InputHTMLAttributes<HTMLInputElement> = { type: 'number' },
  ) => (
    <label className="field">
      {label}
      <input
        className="input"
        {...attrs}
        value={draft[key] as string}
        onChange={(e) => set({ [key]: e.target.value } as Partial<Draft>)}
      />
    </label>
  );
  return (
    <form className="stack" aria-label="New alert rule" onSubmit={(e) => void submit(e)}>
      <FormAlerts error={error} />
      {field('name', 'Name', { required: true })}
      <label className="field">
        Metric
        <select className="input" value={draft.metric} onChange={(e) => set({ metric: e.target.value as AlertMetric })}>
          <option value="loss">Loss (%) above</option>
          <option value="latency">Latency (ms) above</option>
          <option value="availability">Availability (%) below</option>
        </select>
      </label>
      {field('threshold', 'Threshold')}
      {field('resolveThreshold', 'Resolve threshold (optional)')}
      {field('target', 'Target (optional)', { placeholder: 'gateway, dns, it:mail' })}
      <label className="field">
        Scope
        <select className="input" value={draft.scope} onChange={(e) => set({ scope: e.target.value as AlertScope })}>
          <option value="site">A share of a site's devices</option>
          <option value="target">A share of a target's devices</option>
          <option value="device">Each device</option>
        </select>
      </label>
      {draft.scope === 'site'
        ? field('site', 'Site (optional; every site when empty)', { placeholder: 'site:floor-3' })
        : null}
      {draft.scope !== 'device' ? (
        <>
          {field('minSharePct', 'Share of devices (%)')}
          {field('minDevices', 'At least devices')}
        </>
      ) : null}
      {field('windowMinutes', 'Window (minutes)')}
      {field('forMinutes', 'Fire after (minutes)')}
      {field('resolveMinutes', 'Resolve after (minutes)')}
      <label className="admin-check">
        <input type="checkbox" checked={draft.announce} onChange={(e) => set({ announce: e.target.checked })} />
        Announce to the affected computers
      </label>
      {field('webhookUrl', 'Webhook URL (optional)', { type: 'url' })}
      {field('webhookSecret', 'Webhook secret', { type: 'password' })}
      <div className="toolbar">
        <button type="submit" className="btn btn-primary">
          Add rule
        </button>
      </div>
    </form>
  );
}

function RuleSummary({ rule: r, run }: { rule: AlertRuleDto } & RowActions): ReactElement {
  const { save } = useAlertRuleMutations();
  return (
    <div className="admin-grow stack">
      <div>
        <strong>{r.name}</strong> {r.firing > 0 ? <span className="badge badge-danger">{r.firing} firing</span> : null}{' '}
        {r.pending > 0 ? <span className="badge badge-warning">{r.pending} pending</span> : null}
      </div>
      <div className="muted">{describeRule(r)}</div>
      <label className="admin-check">
        <input
          type="checkbox"
          checked={r.enabled}
          onChange={(e) => void run(() => save.mutateAsync({ id: r.id, body: bodyOfRule(r, e.target.checked) }))}
        />
        Enabled
      </label>
    </div>
  );
}

/** Network alert rules: the list (switch on and off, delete) and a form to add one. */
export function AlertRulesTab(): ReactElement {
  const rules = useAlertRules();
  const { remove } = useAlertRuleMutations();
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div className="stack">
      <p className="muted">
        A rule that fires opens one incident ticket, shows an announcement on the affected computers and, if set, calls
        a webhook (signed with HMAC-SHA256). It resolves once the condition has been clearly false for the resolve time.
      </p>
      <ErrorAlert error={rules.error} />
      <Notice message={notice} />
      <EditableList<AlertRuleDto>
        items={rules.data?.rules}
        keyOf={(r) => `${r.id}`}
        nameOf={(r) => r.name}
        summary={(r, actions) => <RuleSummary rule={r} {...actions} />}
        form={(props) => <RuleForm {...props} />}
        editable={false}
        // Deleting a rule acts at once, as it always has (no confirm step): its incidents stay in history.
        remove={{
          label: (r) => `Delete ${r.name}`,
          run: (r) => remove.mutateAsync(r.id),
          message: (r) => `Rule “${r.name}” deleted.`,
        }}
        onChanged={setNotice}
        empty="No alert rules yet."
        listLabel="Alert rules"
      />
    </div>
  );
}
