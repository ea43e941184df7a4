import { useState, type ReactElement } from 'react';
import type { SlaPolicyDto } from '../../../shared/api/sla';
import { SLA_WARNING_PERCENT_MAX, SLA_WARNING_PERCENT_MIN } from '../../../shared/sla-fields';
import type { ApiError } from '../../api/http';
import { formatDateTime, formatMinutes } from '../../../shared/format';
import { splitList } from '../common/format';
import { ErrorAlert } from '../common/ui';
import { asApiError } from '../../api/query-client';
import { useSaveSlaPolicy, useSlaPolicies } from '../../api/settings.queries';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const PRIORITY_NAME: Record<string, string> = {
  p1: 'P1 · Critical',
  p2: 'P2 · High',
  p3: 'P3 · Medium',
  p4: 'P4 · Low',
};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

interface Draft {
  firstResponseMinutes: string;
  resolutionMinutes: string;
  warningPercent: string;
  businessHours: boolean;
  timezone: string;
  days: number[];
  start: string;
  end: string;
  holidays: string;
}

function draftOf(p: SlaPolicyDto): Draft {
  const bh = p.businessHours;
  return {
    firstResponseMinutes: String(p.firstResponseMinutes),
    resolutionMinutes: String(p.resolutionMinutes),
    warningPercent: String(p.warningPercent),
    businessHours: bh !== null,
    timezone: bh?.timezone ?? browserZone(),
    days: bh?.days ?? [1, 2, 3, 4, 5],
    start: bh?.start ?? '09:00',
    end: bh?.end ?? '17:00',
    holidays: bh?.holidays.join(', ') ?? '',
  };
}

/** What is wrong with a draft before it is sent, or null. */
function problemOf(d: Draft): string | null {
  const first = Number(d.firstResponseMinutes);
  const resolution = Number(d.resolutionMinutes);
  if (!Number.isInteger(first) || first < 1 || !Number.isInteger(resolution) || resolution < 1)
    return 'Targets are whole minutes, at least 1.';
  if (resolution < first) return 'The resolution target must be at least the first-response target.';
  if (!d.businessHours) return null;
  try {
    new Intl.DateTimeFormat('en', { timeZone: d.timezone.trim() });
  } catch {
    return `“${d.timezone}” is not a time zone; pick one like Europe/Berlin or America/New_York.`;
  }
  if (d.days.length === 0) return 'Tick at least one working day.';
  if (d.start >= d.end) return 'Business hours must end after they start.';
  return null;
}

function PolicyCard({ policy }: { policy: SlaPolicyDto }): ReactElement {
  const [d, setD] = useState<Draft>(() => draftOf(policy));
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const savePolicy = useSaveSlaPolicy();
  const set = (patch: Partial<Draft>) => {
    setD({ ...d, ...patch });
    setSaved(false);
  };
  const name = PRIORITY_NAME[policy.priority] ?? policy.priority;
  const id = `sla-${policy.priority}`;

  async function save(): Promise<void> {
    setError(null);
    setProblem(problemOf(d));
    if (problemOf(d)) return;
    try {
      const body = {
        priority: policy.priority,
        firstResponseMinutes: Number(d.firstResponseMinutes),
        resolutionMinutes: Number(d.resolutionMinutes),
        warningPercent: Number(d.warningPercent),
        businessHours: d.businessHours
          ? {
              timezone: d.timezone.trim(),
              days: [...d.days].sort(),
              start: d.start,
              end: d.end,
              holidays: splitList(d.holidays),
            }
          : null,
      };
      const updated = await savePolicy.mutateAsync(body);
      setD(draftOf(updated));
      setSaved(true);
    } catch (e) {
      setError(asApiError(e));
    }
  }

  return (
    <form
      className="card stack admin-sla"
      aria-label={`${name} policy`}
      onSubmit={(e) => (e.preventDefault(), void save())}
    >
      <div className="row">
        <h2 className="admin-grow">{name}</h2>
        <span className="muted">Updated {formatDateTime(policy.updatedAt)}</span>
      </div>
      <ErrorAlert error={error} />
      {problem ? (
        <div className="alert alert-error" role="alert">
          {problem}
        </div>
      ) : null}
      <div className="admin-form-row">
        <label className="field">
          <span>First response (minutes)</span>
          <input
            className="input"
            type="number"
            min={1}
            step={1}
            required
            value={d.firstResponseMinutes}
            onChange={(e) => set({ firstResponseMinutes: e.target.value })}
          />
          <small className="muted">{formatMinutes(Number(d.firstResponseMinutes) || null)}</small>
        </label>
        <label className="field">
          <span>Resolution (minutes)</span>
          <input
            className="input"
            type="number"
            min={1}
            step={1}
            required
            value={d.resolutionMinutes}
            onChange={(e) => set({ resolutionMinutes: e.target.value })}
          />
          <small className="muted">{formatMinutes(Number(d.resolutionMinutes) || null)}</small>
        </label>
        <label className="field">
          <span>Warn at (% of target)</span>
          <input
            className="input"
            type="number"
            min={SLA_WARNING_PERCENT_MIN}
            max={SLA_WARNING_PERCENT_MAX}
            step={1}
            required
            value={d.warningPercent}
            onChange={(e) => set({ warningPercent: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Clock runs</span>
          <select
            className="input"
            value={d.businessHours ? 'business' : 'always'}
            onChange={(e) => set({ businessHours: e.target.value === 'business' })}
          >
            <option value="always">Around the clock</option>
            <option value="business">In business hours</option>
          </select>
        </label>
      </div>
      {d.businessHours ? (
        <fieldset className="admin-fieldset">
          <legend>Business hours</legend>
          <div className="row admin-wrap" role="group" aria-label={`Working days for ${name}`}>
            {DAYS.map((label, i) => (
              <label key={label} className="admin-check">
                <input
                  type="checkbox"
                  checked={d.days.includes(i + 1)}
                  onChange={(e) =>
                    set({ days: e.target.checked ? [...d.days, i + 1] : d.days.filter((x) => x !== i + 1) })
                  }
                />
                {label}
              </label>
            ))}
          </div>
          <div className="admin-form-row">
            <label className="field">
              <span>From</span>
              <input
                className="input"
                type="time"
                value={d.start}
                onChange={(e) => set({ start: e.target.value })}
                required
              />
            </label>
            <label className="field">
              <span>To</span>
              <input
                className="input"
                type="time"
                value={d.end}
                onChange={(e) => set({ end: e.target.value })}
                required
              />
            </label>
            <label className="field">
              <span>Time zone</span>
              <input
                className="input"
                list={`${id}-zones`}
                value={d.timezone}
                onChange={(e) => set({ timezone: e.target.value })}
                required
              />
            </label>
            <label className="field admin-grow">
              <span>Holidays (YYYY-MM-DD, comma-separated)</span>
              <input
                className="input"
                value={d.holidays}
                onChange={(e) => set({ holidays: e.target.value })}
                placeholder="2026-12-25, 2026-12-26"
              />
            </label>
          </div>
          <datalist id={`${id}-zones`}>
            {Intl.supportedValuesOf('timeZone').map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </fieldset>
      ) : null}
      <div className="toolbar">
        <button type="submit" className="btn btn-primary">
          Save {policy.priority.toUpperCase()}
        </button>
        {saved ? (
          <span className="badge badge-ok" role="status">
            Saved: tickets filed from now on use it
          </span>
        ) : null}
      </div>
    </form>
  );
}

/** SLA policies, one per priority: first-response and resolution targets, warning threshold, business hours. */
export function SlaTab(): ReactElement {
  const loaded = useSlaPolicies();
  return (
    <div className="stack">
      <p className="muted">
        Each priority has its own targets. Changes apply to tickets filed from now on; running tickets keep their due
        times.
      </p>
      <ErrorAlert error={loaded.error} />
      {(loaded.data ?? []).map((p) => (
        <PolicyCard key={p.priority} policy={p} />
      ))}
    </div>
  );
}
