import type { ReactElement } from 'react';
import type { Targeting } from '../../../shared/api/articles';
import { splitList } from './format';

const OS_OPTIONS = [
  { value: 'win32', label: 'Windows' },
  { value: 'darwin', label: 'macOS' },
  { value: 'linux', label: 'Linux' },
] as const;

/** Editable targeting: the text of the groups field is kept as typed until saved. */
export interface TargetingDraft {
  os: Targeting['os'];
  groupsText: string;
}

/** Targeting as the API wants it. */
export function targetingOf(draft: TargetingDraft): Targeting {
  return { os: draft.os, groups: splitList(draft.groupsText) };
}

/** A short summary of targeting for lists: "Everyone" or "Windows · sales". */
export function describeTargeting(t: Targeting): string {
  const os = t.os.map((o) => OS_OPTIONS.find((x) => x.value === o)?.label ?? o);
  const parts = [...os, ...t.groups];
  return parts.length ? parts.join(' · ') : 'Everyone';
}

/** OS check boxes and device groups (the groups devices were enrolled with; comma-separated). */
export function TargetingFields({
  value,
  onChange,
}: {
  value: TargetingDraft;
  onChange(next: TargetingDraft): void;
}): ReactElement {
  return (
    <fieldset className="admin-fieldset">
      <legend>Who sees it</legend>
      <div className="row admin-wrap" role="group" aria-label="Operating systems">
        {OS_OPTIONS.map((o) => (
          <label key={o.value} className="admin-check">
            <input
              type="checkbox"
              checked={value.os.includes(o.value)}
              onChange={(e) =>
                onChange({
                  ...value,
                  os: e.target.checked ? [...value.os, o.value] : value.os.filter((x) => x !== o.value),
                })
              }
            />
            {o.label}
          </label>
        ))}
        <span className="muted">{value.os.length === 0 ? 'No OS ticked: every OS.' : ''}</span>
      </div>
      <label className="field">
        <span>Device groups (comma-separated; empty = every group)</span>
        <input
          className="input"
          value={value.groupsText}
          onChange={(e) => onChange({ ...value, groupsText: e.target.value })}
          placeholder="e.g. sales, berlin-office"
        />
      </label>
    </fieldset>
  );
}
