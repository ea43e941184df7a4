import { useState, type ReactElement } from 'react';
import type { AnnouncementDto } from '../../../shared/api/articles';
import { useAnnouncementMutations, useAnnouncements } from '../../api/announcements.queries';
import type { ApiError } from '../../api/http';
import { asApiError } from '../../api/query-client';
import { Markdown } from '../../../ui/Markdown';
import { formatDateTime } from '../../../shared/format';
import { describeTargeting } from '../common/TargetingFields';
import { AdminPage, ConfirmButton, ErrorAlert } from '../common/ui';
import { AnnouncementForm } from './AnnouncementForm';
import { announcementState, STATE_BADGE, STATE_ORDER } from './announcement-state';

const SEVERITY_BADGE = { info: 'badge-info', warning: 'badge-warning', critical: 'badge-critical' } as const;

/** Announcements pushed to every tray: compose, see what is live, scheduled or over, and end them. */
export function AnnouncementsPage(): ReactElement {
  const list = useAnnouncements();
  const { update, setPublished, remove } = useAnnouncementMutations();
  const [editing, setEditing] = useState<AnnouncementDto | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const now = Date.now();
  const items = [...(list.data ?? [])].sort(
    (a, b) =>
      STATE_ORDER[announcementState(a, now)] - STATE_ORDER[announcementState(b, now)] ||
      Date.parse(b.startsAt) - Date.parse(a.startsAt),
  );

  const act = async (what: () => Promise<unknown>, message: string) => {
    setError(null);
    try {
      await what();
      setNotice(message);
    } catch (e) {
      setError(asApiError(e));
    }
  };

  return (
    <AdminPage title="Announcements">
      <ErrorAlert error={list.error ?? error} />
      {notice ? (
        <div className="alert alert-info" role="status">
          {notice}
        </div>
      ) : null}
      <div className="admin-split">
        <section className="card admin-flush" aria-label="Announcements list">
          {items.length === 0 && !list.isPending ? (
            <div className="empty">No announcements. Compose one to show it on every tray (e.g. “Mail is down”).</div>
          ) : null}
          <ul className="admin-list">
            {items.map((a) => {
              const state = announcementState(a, now);
              return (
                <li key={a.id} className="admin-list-item" aria-label={a.title}>
                  <div className="row admin-wrap">
                    <strong className="admin-grow">{a.title}</strong>
                    <span className={`badge ${STATE_BADGE[state].className}`}>{STATE_BADGE[state].label}</span>
                    <span className={`badge ${SEVERITY_BADGE[a.severity]}`}>{a.severity}</span>
                  </div>
                  {a.body.trim() ? <Markdown text={a.body} className="admin-clamp" /> : null}
                  <div className="muted">
                    {formatDateTime(a.startsAt)} → {a.expiresAt ? formatDateTime(a.expiresAt) : 'no expiry'} ·{' '}
                    {describeTargeting(a.targeting)}
                  </div>
                  <div className="toolbar">
                    <button type="button" className="btn btn-small" onClick={() => setEditing(a)}>
                      Edit
                    </button>
                    {state === 'live' ? (
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() =>
                          void act(
                            () => update.mutateAsync({ id: a.id, body: { expiresAt: new Date().toISOString() } }),
                            `“${a.title}” ended.`,
                          )
                        }
                      >
                        End now
                      </button>
                    ) : null}
                    {state === 'draft' ? (
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() =>
                          void act(
                            () => setPublished.mutateAsync({ id: a.id, publish: true }),
                            `“${a.title}” published.`,
                          )
                        }
                      >
                        Publish
                      </button>
                    ) : null}
                    {state === 'scheduled' ? (
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() =>
                          void act(
                            () => setPublished.mutateAsync({ id: a.id, publish: false }),
                            `“${a.title}” is a draft again.`,
                          )
                        }
                      >
                        Unpublish
                      </button>
                    ) : null}
                    <ConfirmButton
                      small
                      label="Delete"
                      question={`Delete “${a.title}”?`}
                      onConfirm={() => act(() => remove.mutateAsync(a.id), `“${a.title}” deleted.`)}
                    />
                  </div>
                </li>
              );
            })}
          </ul>
        </section>
        <AnnouncementForm
          key={editing?.id ?? 'new'}
          editing={editing}
          onCancel={() => setEditing(null)}
          onDone={(saved) => {
            setEditing(null);
            const state = announcementState(saved, Date.now());
            const what = {
              live: 'is live: agents show it at their next sync',
              scheduled: `is scheduled: agents show it from ${formatDateTime(saved.startsAt)}`,
              draft: 'is saved as a draft: agents do not see it',
              expired: 'is saved; it has already expired',
            }[state];
            setNotice(`“${saved.title}” ${what}.`);
          }}
        />
      </div>
    </AdminPage>
  );
}
