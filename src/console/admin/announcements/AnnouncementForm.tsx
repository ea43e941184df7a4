import { useState, type ReactElement } from 'react';
import type { AnnouncementDto } from '../../../shared/api/articles';
import { CONTENT_TITLE_MAX } from '../../../shared/content-limits';
import type { Severity } from '../../../shared/health/finding';
import { useAnnouncementMutations } from '../../api/announcements.queries';
import type { ApiError } from '../../api/http';
import { asApiError } from '../../api/query-client';
import { Markdown } from '../../../ui/Markdown';
import { fromLocalInput, toLocalInput } from '../../../shared/format';
import { targetingOf, TargetingFields, type TargetingDraft } from '../common/TargetingFields';
import { ErrorAlert } from '../common/ui';

interface Draft {
  title: string;
  body: string;
  severity: Severity;
  startsAt: string;
  expiresAt: string;
  targeting: TargetingDraft;
}

function draftOf(a: AnnouncementDto | null): Draft {
  if (!a)
    return {
      title: '',
      body: '',
      severity: 'info',
      startsAt: '',
      expiresAt: '',
      targeting: { os: [], groupsText: '' },
    };
  return {
    title: a.title,
    body: a.body,
    severity: a.severity,
    startsAt: toLocalInput(a.startsAt),
    expiresAt: toLocalInput(a.expiresAt),
    targeting: { os: a.targeting.os, groupsText: a.targeting.groups.join(', ') },
  };
}

/** Composes a new announcement or edits one; calls onDone with the saved announcement. */
export function AnnouncementForm({
  editing,
  onDone,
  onCancel,
}: {
  editing: AnnouncementDto | null;
  onDone(saved: AnnouncementDto): void;
  onCancel(): void;
}): ReactElement {
  const [draft, setDraft] = useState<Draft>(() => draftOf(editing));
  const [error, setError] = useState<ApiError | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mutations = useAnnouncementMutations();
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  async function submit(publish: boolean): Promise<void> {
    const startsAt = fromLocalInput(draft.startsAt);
    const expiresAt = fromLocalInput(draft.expiresAt);
    if (!draft.title.trim()) return setProblem('Give the announcement a title.');
    if (expiresAt && Date.parse(expiresAt) <= Date.parse(startsAt ?? new Date().toISOString()))
      return setProblem('The expiry must be after the start.');
    setProblem(null);
    setBusy(true);
    setError(null);
    const fields = {
      title: draft.title.trim(),
      body: draft.body,
      severity: draft.severity,
      targeting: targetingOf(draft.targeting),
      expiresAt,
    };
    try {
      let saved: AnnouncementDto;
      if (editing) {
        saved = await mutations.update.mutateAsync({
          id: editing.id,
          body: { ...fields, ...(startsAt ? { startsAt } : {}) },
        });
        if (publish && saved.status !== 'published')
          saved = await mutations.setPublished.mutateAsync({ id: editing.id, publish: true });
      } else {
        saved = await mutations.create.mutateAsync({
          ...fields,
          ...(startsAt ? { startsAt } : {}),
          status: publish ? 'published' : 'draft',
        });
      }
      setDraft(draftOf(null));
      onDone(saved);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="card stack"
      aria-label={editing ? 'Edit announcement' : 'New announcement'}
      onSubmit={(e) => (e.preventDefault(), void submit(true))}
    >
      <h2>{editing ? `Edit “${editing.title}”` : 'New announcement'}</h2>
      <ErrorAlert error={error} />
      {problem ? (
        <div className="alert alert-error" role="alert">
          {problem}
        </div>
      ) : null}
      <label className="field">
        <span>Title</span>
        <input
          className="input"
          value={draft.title}
          maxLength={CONTENT_TITLE_MAX}
          onChange={(e) => set({ title: e.target.value })}
          placeholder="e.g. Mail is down"
        />
      </label>
      <label className="field">
        <span>Message (Markdown)</span>
        <textarea
          className="input"
          rows={4}
          value={draft.body}
          onChange={(e) => set({ body: e.target.value })}
          placeholder="What happened, what to do, when it is fixed."
        />
      </label>
      {draft.body.trim() ? (
        <div className="admin-mini-preview" aria-label="Message preview">
          <Markdown text={draft.body} />
        </div>
      ) : null}
      <div className="admin-form-row">
        <label className="field">
          <span>Severity</span>
          <select
            className="input"
            value={draft.severity}
            onChange={(e) => set({ severity: e.target.value as Severity })}
          >
            <option value="info">Info</option>
            <option value="warning">Warning</option>
            <option value="critical">Critical</option>
          </select>
        </label>
        <label className="field">
          <span>Starts (empty = now)</span>
          <input
            className="input"
            type="datetime-local"
            value={draft.startsAt}
            onChange={(e) => set({ startsAt: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Expires (empty = never)</span>
          <input
            className="input"
            type="datetime-local"
            value={draft.expiresAt}
            onChange={(e) => set({ expiresAt: e.target.value })}
          />
        </label>
      </div>
      <TargetingFields value={draft.targeting} onChange={(targeting) => set({ targeting })} />
      <div className="toolbar">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {editing?.status === 'published' ? 'Save changes' : 'Publish'}
        </button>
        {editing?.status !== 'published' ? (
          <button type="button" className="btn" disabled={busy} onClick={() => void submit(false)}>
            Save draft
          </button>
        ) : null}
        {editing ? (
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
