import { useState, type ReactElement } from 'react';
import type { WebhookDto } from '../../../shared/api/webhooks';
import { formatDateTime } from '../../../shared/format';
import { WEBHOOK_FORMAT_LABELS } from '../../../shared/integrations';
import type { ApiError } from '../../api/http';
import { useWebhookMutations, useWebhooks } from '../../api/integrations.queries';
import { asApiError } from '../../api/query-client';
import { ShownOnce } from '../../profile/TokenParts';
import { ConfirmButton, ErrorAlert } from '../common/ui';
import { WebhookDeliveries } from './WebhookDeliveries';
import { WebhookForm } from './WebhookForm';

function lastDelivery(w: WebhookDto): ReactElement {
  const d = w.lastDelivery;
  if (!d) return <span className="muted">None yet</span>;
  const badge = d.status === 'succeeded' ? 'badge-ok' : d.status === 'failed' ? 'badge-critical' : 'badge-warning';
  return (
    <span className="admin-nowrap">
      <span className={`badge ${badge}`}>{d.responseStatus ?? d.status}</span> {formatDateTime(d.at)}
    </span>
  );
}

/** Webhooks: where ticket, SLA, device and alert events go (signed JSON, Slack or Teams), with a delivery log each. */
export function WebhooksTab(): ReactElement {
  const list = useWebhooks();
  const m = useWebhookMutations();
  const [editing, setEditing] = useState<WebhookDto | 'new' | null>(null);
  const [logOf, setLogOf] = useState<number | null>(null);
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (action: () => Promise<void>) => {
    setError(null);
    setNote(null);
    try {
      await action();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  const hooks = list.data ?? [];
  const shownLog = hooks.find((w) => w.id === logOf) ?? null;
  return (
    <div className="stack">
      <p className="muted">
        Webhooks tell other systems what happens here: a Slack or Teams channel sees “P1 ticket from lt-jdoe-0042: VPN
        down” with a link; a generic receiver gets signed JSON (<code>X-Deskside-Signature</code>, see the README).
        Deliveries survive restarts and are retried with backoff.
      </p>
      <ErrorAlert error={list.error ?? error} />
      {note ? (
        <div className="alert alert-info" role="status">
          {note}
        </div>
      ) : null}
      {secret ? (
        <ShownOnce
          title={`Signing secret of “${secret.name}”`}
          value={secret.value}
          note="It is shown only once; receivers use it to verify X-Deskside-Signature. Rotate it to get a new one."
          onDone={() => setSecret(null)}
        />
      ) : null}
      {editing ? (
        <WebhookForm
          key={editing === 'new' ? 'new' : editing.id}
          editing={editing === 'new' ? null : editing}
          busy={m.create.isPending || m.update.isPending}
          onCancel={() => setEditing(null)}
          onSubmit={(value) =>
            run(async () => {
              if (editing === 'new') {
                const made = await m.create.mutateAsync(value);
                setSecret({ name: made.name, value: made.secret });
              } else await m.update.mutateAsync({ id: editing.id, body: value });
              setEditing(null);
            })
          }
        />
      ) : (
        <div>
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
            New webhook
          </button>
        </div>
      )}
      <div className="card admin-flush">
        <table className="table" aria-label="Webhooks">
          <thead>
            <tr>
              <th>Name</th>
              <th>Format</th>
              <th>Events</th>
              <th>Last delivery</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {hooks.map((w) => (
              <tr key={w.id} className={w.active ? undefined : 'admin-inactive'}>
                <td>
                  <strong>{w.name}</strong>
                  <div className="muted small webhook-url">{w.url}</div>
                </td>
                <td className="admin-nowrap">{WEBHOOK_FORMAT_LABELS[w.format]}</td>
                <td>
                  <div className="token-scope-list">
                    {w.events.map((e) => (
                      <span key={e} className="badge badge-info">
                        {e}
                      </span>
                    ))}
                  </div>
                </td>
                <td>{lastDelivery(w)}</td>
                <td>
                  {w.active ? <span className="badge badge-ok">Active</span> : <span className="badge">Paused</span>}
                </td>
                <td>
                  <div className="row webhook-actions">
                    <button type="button" className="btn btn-small" onClick={() => setLogOf(w.id)}>
                      Deliveries
                    </button>
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() =>
                        run(async () => {
                          const d = await m.test.mutateAsync(w.id);
                          setLogOf(w.id);
                          setNote(
                            d.status === 'succeeded'
                              ? `Test event delivered to “${w.name}” (HTTP ${d.responseStatus}, ${d.durationMs} ms).`
                              : `Test event to “${w.name}” failed: ${d.error ?? 'no answer'}. It will be retried.`,
                          );
                        })
                      }
                    >
                      Send test event
                    </button>
                    <button type="button" className="btn btn-small" onClick={() => setEditing(w)}>
                      Edit
                    </button>
                    <ConfirmButton
                      small
                      label="Rotate secret"
                      confirmLabel="Rotate"
                      question="Receivers must switch to the new secret."
                      onConfirm={() =>
                        run(async () => {
                          const r = await m.rotate.mutateAsync(w.id);
                          setSecret({ name: r.name, value: r.secret });
                        })
                      }
                    />
                    <ConfirmButton
                      small
                      label="Delete"
                      question={`Delete “${w.name}” and its delivery log?`}
                      onConfirm={() =>
                        run(async () => {
                          await m.remove.mutateAsync(w.id);
                          if (logOf === w.id) setLogOf(null);
                        })
                      }
                    />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.data && hooks.length === 0 ? <div className="empty">No webhooks yet.</div> : null}
      </div>
      {shownLog ? (
        <WebhookDeliveries
          webhook={shownLog}
          onClose={() => setLogOf(null)}
          onRedeliver={(id) =>
            run(async () => {
              const d = await m.redeliver.mutateAsync(id);
              setNote(
                d.status === 'succeeded'
                  ? `Redelivered (HTTP ${d.responseStatus}).`
                  : `Redelivery failed: ${d.error ?? 'no answer'}.`,
              );
            })
          }
        />
      ) : null}
    </div>
  );
}
