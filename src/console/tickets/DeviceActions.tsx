import { useId, useRef, useState, type ReactElement } from 'react';
import { ACTION_INFO, actionInfo, type ActionField, type ActionInfo } from '../../shared/actions/catalog-info';
import { COMMAND_DEFAULT_EXPIRY_MINUTES, COMMAND_REASON_MAX } from '../../shared/actions/command-status';
import { checkScriptArg, type ScriptParamInfo } from '../../shared/actions/script-info';
import type { TicketDto } from '../../shared/api/tickets';
import { useRequestCommand, useTicketCommands, type CommandRequest } from '../api/commands.queries';
import { useItCatalog, type ItCatalogDto, type ItScriptDto } from '../api/it-actions.queries';
import { CommandList } from '../components/CommandList';

/*
 * "Run on device" on a ticket (issue 12): the technician picks a catalog action, fills its parameters
 * (checked here as the catalog's info describes them; the server checks again against the schema and
 * its refusal is shown as it says it), gives the reason the employee reads in the consent prompt, and
 * chooses whether the result is an internal note or visible to the employee. Below, the ticket's
 * commands with their status, consent and result, live from the staff event stream.
 */

const EXPIRY_CHOICES: readonly [minutes: number, label: string][] = [
  [15, '15 minutes'],
  [COMMAND_DEFAULT_EXPIRY_MINUTES, '1 hour'],
  [4 * 60, '4 hours'],
  [24 * 60, '1 day'],
  [7 * 24 * 60, '7 days'],
];

type Value = string | boolean | string[];
type Values = Record<string, Value>;

const RISK_TEXT = { reads: 'Reads only', changes: 'Changes the device' } as const;
const CONSENT_TEXT = { always: 'Employee always asked', policy: 'Consent per IT policy' } as const;

function initialValues(action: ActionInfo): Values {
  return Object.fromEntries(
    action.fields.map((field): [string, Value] => {
      if (field.kind === 'boolean') return [field.name, field.default === true];
      if (field.kind === 'select' && field.multiple) return [field.name, []];
      return [field.name, field.default === undefined ? '' : String(field.default)];
    }),
  );
}

// Letters, digits and the punctuation of names and addresses; never an option (`-x`), never a space.
const HOST_CHARS = /^[A-Za-z0-9_.:]/;
const HOST_ALL = /^[A-Za-z0-9_.:-]+$/;

/** A choice of an allow-list select: the entry's id, shown by its name and the OSes it has a name for. */
interface Choice {
  value: string;
  label: string;
}

/** The entries of the allow-list a field names, as choices. */
function allowListChoices(field: ActionField, catalog: ItCatalogDto | undefined): Choice[] {
  if (field.kind !== 'allow-list' || !catalog) return [];
  if (field.allowList === 'services')
    return catalog.services.map((s) => ({
      value: s.id,
      label: `${s.title} (${(['linux', 'win32', 'darwin'] as const).filter((os) => s[os]).join(', ')})`,
    }));
  return catalog.packages.map((p) => ({
    value: p.id,
    label: `${p.title} (${(['apt', 'dnf', 'winget', 'brew'] as const).filter((m) => p[m]).join(', ')})`,
  }));
}

/** An IT script as the form offers it: an action with one field per declared parameter. */
function scriptActionInfo(script: ItScriptDto): ActionInfo {
  return {
    name: script.action,
    title: script.title,
    description: script.description,
    risk: script.risk,
    consent: 'policy',
    platforms: (['linux', 'win32', 'darwin'] as const).filter((os) => script.bodies[os]),
    group: script.risk === 'reads' ? 'diagnostics' : 'fixes',
    fields: script.parameters.map((p) => ({
      name: p.name,
      label: p.label ?? p.name,
      kind: p.type === 'boolean' ? 'boolean' : p.type === 'number' ? 'number' : 'text',
      required: p.required,
      hint: p.pattern ? `Must match ${p.pattern}` : undefined,
    })),
  };
}

/** A script parameter's check: the value is passed as one argument, verbatim (not trimmed), never into the text. */
function checkScriptField(
  field: ActionField,
  param: ScriptParamInfo,
  raw: Value,
): { error: string } | { value: unknown } {
  if (param.type === 'boolean') return { value: raw === true };
  const text = String(raw);
  if (text === '') return param.required ? { error: `${field.label}: enter a value` } : { value: undefined };
  const value = param.type === 'number' ? Number(text.trim()) : text;
  const problem = checkScriptArg(param, value);
  return problem ? { error: `${field.label}${problem.slice(param.name.length)}` } : { value };
}

/** One field's check: an error sentence, or the value to send (undefined: leave it to the server's default). */
function checkField(field: ActionField, raw: Value): { error: string } | { value: unknown } {
  if (field.kind === 'boolean') return { value: raw === true };
  if (Array.isArray(raw)) return { value: raw.length ? raw : undefined };
  const text = String(raw).trim();
  if (!text && field.kind === 'allow-list')
    return field.required ? { error: `${field.label}: choose an entry of IT’s allow-list` } : { value: undefined };
  if (!text) return field.required ? { error: `${field.label}: enter a value` } : { value: undefined };
  switch (field.kind) {
    case 'host':
      return HOST_CHARS.test(text) && HOST_ALL.test(text) && text.length <= 253
        ? { value: text }
        : { error: `${field.label}: must be a host name or an IP address (no spaces, not starting with "-")` };
    case 'number':
    case 'port': {
      const n = Number(text);
      if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) return { error: `${field.label}: must be a whole number` };
      if ((field.min !== undefined && n < field.min) || (field.max !== undefined && n > field.max))
        return { error: `${field.label}: must be between ${field.min} and ${field.max}` };
      return { value: n };
    }
    case 'select':
      return field.options?.includes(text) ? { value: text } : { error: `${field.label}: pick one of the choices` };
    case 'text':
      return /\s/.test(text) ? { error: `${field.label}: must not contain spaces` } : { value: text };
    case 'allow-list':
      return { value: text };
  }
}

function FieldInput({
  field,
  id,
  value,
  error,
  choices,
  onChange,
}: {
  field: ActionField;
  id: string;
  value: Value;
  error: string | undefined;
  /** For `allow-list`: IT's entries. */
  choices?: readonly Choice[];
  onChange(value: Value): void;
}): ReactElement {
  const describedBy = [error ? `${id}-error` : '', field.hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy || undefined,
  };
  const below = (
    <>
      {field.hint && (
        <small id={`${id}-hint`} className="muted small">
          {field.hint}
        </small>
      )}
      {error && (
        <small id={`${id}-error`} className="error-text">
          {error}
        </small>
      )}
    </>
  );
  if (field.kind === 'boolean')
    return (
      <div className="field action-field action-field-check">
        <label className="row internal-toggle">
          <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          {field.label}
        </label>
        {below}
      </div>
    );
  if (field.kind === 'select' && field.multiple) {
    const picked = value as string[];
    return (
      <fieldset className="field action-field action-field-wide" aria-describedby={describedBy || undefined}>
        <legend>{field.label}</legend>
        <div className="action-checks">
          {field.options?.map((option) => (
            <label key={option} className="row internal-toggle">
              <input
                type="checkbox"
                checked={picked.includes(option)}
                onChange={(e) =>
                  onChange(e.target.checked ? [...picked, option] : picked.filter((item) => item !== option))
                }
              />
              {option}
            </label>
          ))}
        </div>
        {below}
      </fieldset>
    );
  }
  return (
    <div className="field action-field">
      <label htmlFor={id}>
        {field.label}
        {field.required ? '' : ' (optional)'}
      </label>
      {field.kind === 'allow-list' ? (
        <select {...common} className="input" value={value as string} onChange={(e) => onChange(e.target.value)}>
          <option value="">
            {choices?.length ? 'Choose from IT’s allow-list…' : 'IT’s allow-list is empty (Settings → Allow-lists)'}
          </option>
          {choices?.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      ) : field.kind === 'select' ? (
        <select {...common} className="input" value={value as string} onChange={(e) => onChange(e.target.value)}>
          {field.options?.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          className="input"
          inputMode={field.kind === 'number' || field.kind === 'port' ? 'numeric' : undefined}
          spellCheck={false}
          autoComplete="off"
          value={value as string}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {below}
    </div>
  );
}

/** The request form: action, its parameters, reason, visibility and expiry. */
function RunForm({ ticketId, hostname }: { ticketId: number; hostname: string }): ReactElement {
  const base = useId();
  const [action, setAction] = useState<ActionInfo>(ACTION_INFO[0]!);
  const [values, setValues] = useState<Values>(() => initialValues(ACTION_INFO[0]!));
  const [reason, setReason] = useState('');
  const [visibility, setVisibility] = useState<'internal' | 'public'>('internal');
  const [expires, setExpires] = useState(COMMAND_DEFAULT_EXPIRY_MINUTES);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [queued, setQueued] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const request = useRequestCommand(ticketId);
  const catalog = useItCatalog().data;
  const scripts = catalog?.scripts ?? [];
  const scriptOf = (name: string) => scripts.find((s) => s.action === name);
  const script = scriptOf(action.name);

  const pick = (name: string) => {
    const found = scriptOf(name);
    const next = found ? scriptActionInfo(found) : actionInfo(name);
    if (!next) return;
    setAction(next);
    setValues(initialValues(next));
    setErrors({});
    setRefusal(null);
  };

  const submit = async () => {
    setRefusal(null);
    setQueued(null);
    const found: Record<string, string> = {};
    const params: Record<string, unknown> = {};
    for (const field of action.fields) {
      const param = script?.parameters.find((p) => p.name === field.name);
      const raw = values[field.name] ?? '';
      const checked = param ? checkScriptField(field, param, raw) : checkField(field, raw);
      if ('error' in checked) found[field.name] = checked.error;
      else if (checked.value !== undefined) params[field.name] = checked.value;
    }
    if (!reason.trim()) found.reason = 'Reason: say why, the employee reads it before allowing';
    setErrors(found);
    if (Object.keys(found).length > 0) {
      // The first field to fix takes the focus (its error is tied to it by aria-describedby).
      window.setTimeout(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
      return;
    }
    const body: CommandRequest = {
      action: action.name,
      params,
      reason: reason.trim(),
      visibility,
      expiresInMinutes: expires,
    };
    try {
      const command = await request.mutateAsync(body);
      setQueued(`${command.title} requested on ${hostname}.`);
      setReason('');
    } catch (e) {
      setRefusal((e as Error).message);
    }
  };

  const diagnostics = ACTION_INFO.filter((a) => a.group === 'diagnostics');
  const fixes = ACTION_INFO.filter((a) => a.group === 'fixes');
  const fieldId = (name: string) => `${base}-${name}`;

  return (
    <form
      ref={form}
      className="stack run-form"
      aria-label="Run on device"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="field">
        <label htmlFor={fieldId('action')}>Action</label>
        <select
          id={fieldId('action')}
          className="input"
          value={action.name}
          aria-describedby={fieldId('about')}
          onChange={(e) => pick(e.target.value)}
        >
          <optgroup label="Diagnostics">
            {diagnostics.map((a) => (
              <option key={a.name} value={a.name}>
                {a.title}
              </option>
            ))}
          </optgroup>
          <optgroup label="Fixes">
            {fixes.map((a) => (
              <option key={a.name} value={a.name}>
                {a.title}
                {a.consent === 'always' ? ' (asks the employee)' : ''}
              </option>
            ))}
          </optgroup>
          {scripts.length > 0 && (
            <optgroup label="IT scripts">
              {scripts.map((s) => (
                <option key={s.action} value={s.action}>
                  {s.title}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </div>
      <div className="action-about" id={fieldId('about')}>
        <p className="muted small">{action.description}</p>
        <div className="row action-traits">
          <span className={`badge ${action.risk === 'reads' ? 'badge-info' : 'badge-warning'}`}>
            {RISK_TEXT[action.risk]}
          </span>
          <span className={`badge ${action.consent === 'always' ? 'badge-warning' : ''}`}>
            {CONSENT_TEXT[action.consent]}
          </span>
        </div>
        {script && (
          <details className="script-preview">
            <summary>The script, as it will run</summary>
            {(['linux', 'win32', 'darwin'] as const).map((os) => {
              const body = script.bodies[os];
              return body ? (
                <pre key={os} className="command-output" aria-label={`Script for ${os} (${body.shell})`} tabIndex={0}>
                  {body.body}
                </pre>
              ) : null;
            })}
          </details>
        )}
      </div>
      {action.fields.length > 0 && (
        <div className="action-fields">
          {action.fields.map((field) => (
            <FieldInput
              key={`${action.name}.${field.name}`}
              field={field}
              id={fieldId(field.name)}
              value={values[field.name] ?? ''}
              error={errors[field.name]}
              choices={allowListChoices(field, catalog)}
              onChange={(value) => setValues((v) => ({ ...v, [field.name]: value }))}
            />
          ))}
        </div>
      )}
      <div className="field">
        <label htmlFor={fieldId('reason')}>Reason (shown to the employee)</label>
        <input
          id={fieldId('reason')}
          className="input"
          value={reason}
          maxLength={COMMAND_REASON_MAX}
          placeholder="e.g. Checking whether the file server answers"
          aria-invalid={errors.reason ? true : undefined}
          aria-describedby={errors.reason ? fieldId('reason-error') : undefined}
          onChange={(e) => setReason(e.target.value)}
        />
        {errors.reason && (
          <small id={fieldId('reason-error')} className="error-text">
            {errors.reason}
          </small>
        )}
      </div>
      <div className="action-fields">
        <div className="field action-field">
          <label htmlFor={fieldId('visibility')}>Result</label>
          <select
            id={fieldId('visibility')}
            className="input"
            value={visibility}
            onChange={(e) => setVisibility(e.target.value as 'internal' | 'public')}
          >
            <option value="internal">Internal note (staff only)</option>
            <option value="public">Visible to the employee</option>
          </select>
        </div>
        <div className="field action-field">
          <label htmlFor={fieldId('expires')}>Expires if not taken within</label>
          <select
            id={fieldId('expires')}
            className="input"
            value={expires}
            onChange={(e) => setExpires(Number(e.target.value))}
          >
            {EXPIRY_CHOICES.map(([minutes, label]) => (
              <option key={minutes} value={minutes}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {refusal && (
        <div className="alert alert-error" role="alert">
          The server refused: {refusal}
        </div>
      )}
      <div className="row">
        <span className="muted small spacer" role="status">
          {queued ?? ''}
        </span>
        <button type="submit" className="btn btn-primary" disabled={request.isPending}>
          {request.isPending ? 'Requesting…' : 'Run'}
        </button>
      </div>
    </form>
  );
}

/** The "Run on device" card and the ticket's commands, for a ticket filed from a device. */
export function DeviceActions({ ticket }: { ticket: TicketDto & { device: NonNullable<TicketDto['device']> } }) {
  const closed = ticket.status === 'closed';
  const commands = useTicketCommands(ticket.id);
  return (
    <div className="stack">
      <section className="card device-actions" aria-labelledby="run-on-device">
        <h2 id="run-on-device">
          Run on device <span className="muted">{ticket.device.hostname}</span>
        </h2>
        {closed ? (
          <p className="muted">This ticket is closed: reopen it to run something on the device.</p>
        ) : (
          <RunForm ticketId={ticket.id} hostname={ticket.device.hostname} />
        )}
      </section>
      <section className="card" aria-labelledby="ticket-commands">
        <h2 id="ticket-commands">Commands</h2>
        <CommandList
          query={commands}
          label="Commands on this ticket"
          empty="Nothing has been run on this device from this ticket."
        />
      </section>
    </div>
  );
}
