import { useState, type ReactElement } from 'react';
import type { WebhookDto } from '../../../shared/api/webhooks';
import {
  WEBHOOK_EVENT_LABELS,
  WEBHOOK_EVENTS,
  WEBHOOK_FORMAT_LABELS,
  WEBHOOK_FORMATS,
  type WebhookEvent,
  type WebhookFormat,
} from '../../../shared/integrations';

export interface WebhookFormValue {
  name: string;
  url: string;
  format: WebhookFormat;
  events: WebhookEvent[];
  active: boolean;
}

/** Create or edit a webhook: name, URL, format, the events it gets, on/off. */
export function WebhookForm(props: {
  editing: WebhookDto | null;
  busy: boolean;
  onSubmit(value: WebhookFormValue): Promise<void>;
  onCancel(): void;
}): ReactElement {
  const e = props.editing;
  const [value, setValue] = useState<WebhookFormValue>({
    name: e?.name ?? '',
    url: e?.url ?? '',
    format: e?.format ?? 'slack',
    events: e?.events ?? ['ticket.created', 'sla.breached'],
    active: e?.active ?? true,
  });
  const set = (patch: Partial<WebhookFormValue>) => setValue((v) => ({ ...v, ...patch }));
  return (
    <form
      className="card stack"
      aria-label={e ? `Edit webhook ${e.name}` : 'New webhook'}
      onSubmit={async (ev) => {
        ev.preventDefault();
        await props.onSubmit({ ...value, name: value.name.trim(), url: value.url.trim() });
      }}
    >
      <h2>{e ? `Edit “${e.name}”` : 'New webhook'}</h2>
      <div className="admin-form-row">
        <label className="field">
          <span>Name</span>
          <input
            className="input"
            required
            maxLength={80}
            value={value.name}
            placeholder="e.g. #helpdesk on Slack"
            onChange={(ev) => set({ name: ev.target.value })}
          />
        </label>
        <label className="field">
          <span>Format</span>
          <select
            className="input"
            value={value.format}
            onChange={(ev) => set({ format: ev.target.value as WebhookFormat })}
          >
            {WEBHOOK_FORMATS.map((f) => (
              <option key={f} value={f}>
                {WEBHOOK_FORMAT_LABELS[f]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="field">
        <span>URL</span>
        <input
          className="input"
          type="url"
          required
          value={value.url}
          placeholder="https://hooks.slack.com/services/…"
          onChange={(ev) => set({ url: ev.target.value })}
        />
      </label>
      <fieldset className="admin-fieldset">
        <legend>Events</legend>
        <div className="token-scopes">
          {WEBHOOK_EVENTS.map((event) => (
            <label key={event} className="admin-check token-scope">
              <input
                type="checkbox"
                checked={value.events.includes(event)}
                onChange={(ev) =>
                  set({
                    events: ev.target.checked ? [...value.events, event] : value.events.filter((x) => x !== event),
                  })
                }
              />
              <code>{event}</code>
              <span className="muted small">{WEBHOOK_EVENT_LABELS[event]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label className="admin-check">
        <input type="checkbox" checked={value.active} onChange={(ev) => set({ active: ev.target.checked })} />
        Active (deliveries are made)
      </label>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={props.busy || value.events.length === 0}>
          {e ? 'Save webhook' : 'Create webhook'}
        </button>
        <button type="button" className="btn" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
