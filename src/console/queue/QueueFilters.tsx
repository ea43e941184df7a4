import { useEffect, useState, type ReactElement, type RefObject } from 'react';
import { useStaff } from '../api/staff.queries';
import { useSession } from '../app/session';
import {
  DEFAULT_VIEWS,
  filtersToSearch,
  readViews,
  writeViews,
  type FilterKey,
  type Filters,
  type SavedView,
} from './filters';

/** Named views above the queue: the defaults, the technician's own, and "save current". */
export function SavedViews({ filters, onApply }: { filters: Filters; onApply(search: string): void }): ReactElement {
  const { user } = useSession();
  const [views, setViews] = useState<SavedView[]>(() => readViews(user.id));
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const current = filtersToSearch(filters);
  const all = [...DEFAULT_VIEWS, ...views];
  const isSaved = all.some((v) => v.search === current);

  const update = (next: SavedView[]) => {
    setViews(next);
    writeViews(user.id, next);
  };
  const save = () => {
    const trimmed = name.trim().slice(0, 40);
    if (!trimmed) return;
    update([...views.filter((v) => v.name !== trimmed), { name: trimmed, search: current }]);
    setNaming(false);
    setName('');
  };

  return (
    <div className="views" role="group" aria-label="Saved views">
      {all.map((view) => (
        <span key={`${view.builtIn ? 'b' : 'u'}-${view.name}`} className="view-chip-wrap">
          <button
            type="button"
            className="view-chip"
            aria-pressed={view.search === current}
            onClick={() => onApply(view.search)}
          >
            {view.name}
          </button>
          {!view.builtIn && (
            <button
              type="button"
              className="view-remove"
              aria-label={`Delete view ${view.name}`}
              onClick={() => update(views.filter((v) => v !== view))}
            >
              ×
            </button>
          )}
        </span>
      ))}
      {naming ? (
        <form
          className="row view-save"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <input
            className="input"
            aria-label="Name of the view"
            placeholder="View name"
            value={name}
            maxLength={40}
            autoFocus
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" className="btn btn-small btn-primary">
            Save
          </button>
          <button type="button" className="btn btn-small" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        !isSaved && (
          <button type="button" className="btn btn-small" onClick={() => setNaming(true)}>
            Save view…
          </button>
        )
      )}
    </div>
  );
}

/** The filter bar: search, status, priority, assignee, SLA state, group, device. */
export function FilterBar({
  filters,
  onChange,
  searchRef,
}: {
  filters: Filters;
  onChange(key: FilterKey, value: string): void;
  searchRef: RefObject<HTMLInputElement | null>;
}): ReactElement {
  const staff = useStaff().data ?? [];
  const [text, setText] = useState(filters.q ?? '');
  const [group, setGroup] = useState(filters.group ?? '');

  useEffect(() => setText(filters.q ?? ''), [filters.q]);
  useEffect(() => setGroup(filters.group ?? ''), [filters.group]);
  // Search as the technician types, without a request per key.
  useEffect(() => {
    if (text === (filters.q ?? '')) return;
    const timer = window.setTimeout(() => onChange('q', text.trim()), 300);
    return () => window.clearTimeout(timer);
  }, [text]);

  const select = (key: FilterKey, label: string, options: Array<[string, string]>) => (
    <label className="filter">
      <span>{label}</span>
      <select className="input" value={filters[key] ?? ''} onChange={(e) => onChange(key, e.target.value)}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <div className="filters" role="search">
      <label className="filter filter-search">
        <span>Search</span>
        <input
          ref={searchRef}
          className="input"
          type="search"
          placeholder="Subject, description, requester…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onChange('q', text.trim());
            if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
          }}
        />
      </label>
      {select('status', 'Status', [
        ['', 'Open (new, open, pending)'],
        ['new', 'New'],
        ['open', 'Open'],
        ['pending', 'Pending'],
        ['resolved', 'Resolved'],
        ['closed', 'Closed'],
        ['all', 'All statuses'],
      ])}
      {select('priority', 'Priority', [
        ['', 'Any'],
        ['p1', 'P1 critical'],
        ['p2', 'P2 high'],
        ['p3', 'P3 medium'],
        ['p4', 'P4 low'],
      ])}
      {select('assignee', 'Assignee', [
        ['', 'Anyone'],
        ['me', 'Me'],
        ['none', 'Unassigned'],
        ...staff.filter((s) => s.active).map((s): [string, string] => [String(s.id), s.name]),
      ])}
      {select('sla', 'SLA', [
        ['', 'Any'],
        ['ok', 'On track'],
        ['warning', 'Warning'],
        ['breached', 'Breached'],
        ['met', 'Met'],
        ['none', 'No SLA'],
      ])}
      {select('online', 'Device', [
        ['', 'Any'],
        ['true', 'Online now'],
        ['false', 'Offline'],
      ])}
      <label className="filter">
        <span>Group</span>
        <input
          className="input filter-group"
          value={group}
          placeholder="Any"
          onChange={(e) => setGroup(e.target.value)}
          onBlur={() => group.trim() !== (filters.group ?? '') && onChange('group', group.trim())}
          onKeyDown={(e) => e.key === 'Enter' && onChange('group', group.trim())}
        />
      </label>
      {filters.device && (
        <span className="device-chip">
          Device filter
          <button
            type="button"
            className="view-remove"
            aria-label="Clear the device filter"
            onClick={() => onChange('device', '')}
          >
            ×
          </button>
        </span>
      )}
    </div>
  );
}
