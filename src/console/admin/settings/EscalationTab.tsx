import { useState, type ReactElement } from 'react';
import type { EscalationRuleDto, EscalationTrigger } from '../../../shared/api/sla';
import { ESCALATION_NOTIFY_MAX, ESCALATION_RULE_NAME_MAX, ESCALATION_TRIGGERS } from '../../../shared/sla-fields';
import type { ApiError } from '../../api/http';
import { ConfirmButton, ErrorAlert, Notice } from '../common/ui';
import { asApiError } from '../../api/query-client';
import { useEscalationRuleMutations, useEscalationRules, useGroups } from '../../api/settings.queries';

const TRIGGER_LABEL: Record<EscalationTrigger, string> = {
  first_response_warning: 'First response nearly due',
  first_response_breach: 'First response overdue',
  resolution_warning: 'Resolution nearly due',
  resolution_breach: 'Resolution overdue',
};
const PRIORITIES = ['p1', 'p2', 'p3', 'p4'] as const;
type Priority = (typeof PRIORITIES)[number];

interface Draft {
  name: string;
  trigger: EscalationTrigger;
  priorities: Priority[];
  assignGroup: string;
  raisePriority: boolean;
  notify: string;
}
const EMPTY: Draft = {
  name: '',
  trigger: 'first_response_breach',
  priorities: [],
  assignGroup: '',
  raisePriority: false,
  notify: '',
};

function describeAction(a: EscalationRuleDto['action']): string {
  const parts = [
    a.assignGroup ? `move to ${a.assignGroup}` : '',
    a.raisePriority ? 'raise priority' : '',
    a.notify ? `note “${a.notify}”` : '',
  ].filter(Boolean);
  return parts.join(', ');
}

/** Escalation rules: what happens when an SLA warning or breach fires. */
export function EscalationTab(): ReactElement {
  const rules = useEscalationRules();
  const groups = useGroups().data ?? [];
  const { create, update, remove } = useEscalationRuleMutations();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const run = async (what: () => Promise<unknown>, message: string): Promise<boolean> => {
    setError(null);
    try {
      await what();
      setNotice(message);
      return true;
    } catch (e) {
      setError(asApiError(e));
      return false;
    }
  };
  const hasAction = draft.assignGroup !== '' || draft.raisePriority || draft.notify.trim() !== '';

  return (
    <div className="stack">
      <ErrorAlert error={rules.error ?? error} />
      <Notice message={notice} />
      <div className="card admin-flush">
        <table className="table" aria-label="Escalation rules">
          <thead>
            <tr>
              <th>Rule</th>
              <th>When</th>
              <th>Priorities</th>
              <th>Then</th>
              <th>Enabled</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(rules.data ?? []).map((r: EscalationRuleDto) => (
              <tr key={r.id}>
                <td>{r.name}</td>
                <td>{TRIGGER_LABEL[r.trigger]}</td>
                <td>{r.priorities.length ? r.priorities.map((p) => p.toUpperCase()).join(', ') : 'All'}</td>
                <td>{describeAction(r.action)}</td>
                <td>
                  <label className="admin-check">
                    <input
                      type="checkbox"
                      aria-label={`${r.name} enabled`}
                      checked={r.enabled}
                      onChange={(e) =>
                        void run(
                          () => update.mutateAsync({ id: r.id, body: { enabled: e.target.checked } }),
                          `“${r.name}” ${e.target.checked ? 'enabled' : 'disabled'}.`,
                        )
                      }
                    />
                  </label>
                </td>
                <td>
                  <ConfirmButton
                    small
                    label="Delete"
                    question={`Delete “${r.name}”?`}
                    onConfirm={() => run(() => remove.mutateAsync(r.id), `“${r.name}” deleted.`).then(() => undefined)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rules.data && rules.data.length === 0 ? (
          <div className="empty">No escalation rules: SLA warnings and breaches only show in the queue.</div>
        ) : null}
      </div>
      <form
        className="card stack"
        aria-label="Add an escalation rule"
        onSubmit={async (e) => {
          e.preventDefault();
          const action = {
            ...(draft.assignGroup ? { assignGroup: draft.assignGroup } : {}),
            ...(draft.raisePriority ? { raisePriority: true } : {}),
            ...(draft.notify.trim() ? { notify: draft.notify.trim() } : {}),
          };
          const ok = await run(
            () =>
              create.mutateAsync({
                name: draft.name.trim(),
                trigger: draft.trigger,
                priorities: draft.priorities,
                action,
              }),
            `Rule “${draft.name.trim()}” added.`,
          );
          if (ok) setDraft(EMPTY);
        }}
      >
        <h2>Add an escalation rule</h2>
        <div className="admin-form-row">
          <label className="field admin-grow">
            <span>Name</span>
            <input
              className="input"
              value={draft.name}
              maxLength={ESCALATION_RULE_NAME_MAX}
              required
              onChange={(e) => setDraft({ ...draft, name: e.target.value })}
              placeholder="e.g. P1 overdue goes to tier 2"
            />
          </label>
          <label className="field">
            <span>When</span>
            <select
              className="input"
              value={draft.trigger}
              onChange={(e) => setDraft({ ...draft, trigger: e.target.value as EscalationTrigger })}
            >
              {ESCALATION_TRIGGERS.map((t) => (
                <option key={t} value={t}>
                  {TRIGGER_LABEL[t]}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="row admin-wrap" role="group" aria-label="Priorities (none ticked: all)">
          <span className="admin-label">Priorities</span>
          {PRIORITIES.map((p) => (
            <label key={p} className="admin-check">
              <input
                type="checkbox"
                checked={draft.priorities.includes(p)}
                onChange={(e) =>
                  setDraft({
                    ...draft,
                    priorities: e.target.checked ? [...draft.priorities, p] : draft.priorities.filter((x) => x !== p),
                  })
                }
              />
              {p.toUpperCase()}
            </label>
          ))}
          <span className="muted">{draft.priorities.length ? '' : 'none ticked: all'}</span>
        </div>
        <div className="admin-form-row">
          <label className="field">
            <span>Move to group</span>
            <select
              className="input"
              value={draft.assignGroup}
              onChange={(e) => setDraft({ ...draft, assignGroup: e.target.value })}
            >
              <option value="">Keep the group</option>
              {groups.map((g) => (
                <option key={g.id} value={g.name}>
                  {g.name} (tier {g.tier})
                </option>
              ))}
            </select>
          </label>
          <label className="admin-check admin-end">
            <input
              type="checkbox"
              checked={draft.raisePriority}
              onChange={(e) => setDraft({ ...draft, raisePriority: e.target.checked })}
            />
            Raise the priority one step
          </label>
          <label className="field admin-grow">
            <span>Note in the ticket history</span>
            <input
              className="input"
              value={draft.notify}
              maxLength={ESCALATION_NOTIFY_MAX}
              onChange={(e) => setDraft({ ...draft, notify: e.target.value })}
            />
          </label>
        </div>
        <div className="toolbar">
          <button type="submit" className="btn btn-primary" disabled={!hasAction}>
            Add rule
          </button>
          {!hasAction ? <span className="muted">Choose at least one action.</span> : null}
        </div>
      </form>
    </div>
  );
}
