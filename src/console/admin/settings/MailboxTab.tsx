import { useEffect, useState, type FormEvent, type ReactElement, type ReactNode } from 'react';
import type { MailboxCheckDto, MailboxSettingsDto, PutMailboxRequest } from '../../../shared/api/mailbox';
import { MAILBOX_MODES, UNKNOWN_SENDER_POLICIES } from '../../../shared/mailbox-fields';
import type { ApiError } from '../../api/http';
import { useMailbox, useSaveMailbox, useTestMailbox } from '../../api/mailbox.queries';
import { asApiError } from '../../api/query-client';
import { ErrorAlert, Notice } from '../common/ui';
import { MailImportsLog } from './MailImportsLog';
import '../../mail/mail.css';
import '../../mail/mailbox.css';

type Mode = MailboxSettingsDto['mode'];
type Form = Omit<PutMailboxRequest, 'imapPassword' | 'maxMessageBytes'> & { maxMessageMb: number };
/** What Save does with the stored IMAP password. */
type PasswordAction = { kind: 'keep' } | { kind: 'replace'; value: string } | { kind: 'clear' };
/** A field's error message, by the body field's name. */
type FieldErrors = Partial<Record<string, string>>;

const MB = 1024 * 1024;

const formOf = (s: MailboxSettingsDto): Form => ({
  mode: s.mode,
  imapHost: s.imapHost,
  imapPort: s.imapPort,
  imapTls: s.imapTls,
  imapUser: s.imapUser,
  imapFolder: s.imapFolder,
  smtpHost: s.smtpHost,
  smtpPort: s.smtpPort,
  smtpTlsCertFile: s.smtpTlsCertFile,
  smtpTlsKeyFile: s.smtpTlsKeyFile,
  addresses: s.addresses,
  unknownSenders: s.unknownSenders,
  maxMessageMb: Math.round((s.maxMessageBytes / MB) * 10) / 10,
});

const MODE_TEXT: Record<Mode, { title: string; text: string }> = {
  off: { title: 'Off', text: 'Deskside does not receive mail. Employees ask for help from the agent.' },
  imap: {
    title: 'IMAP mailbox',
    text: 'Deskside reads a mailbox you already have, and marks each message read once it is imported.',
  },
  smtp: {
    title: 'Deskside’s SMTP listener',
    text: 'Point your MX or a forwarding rule at Deskside: it receives the mail itself on the address below.',
  },
};

const POLICY_TEXT = {
  accept: {
    title: 'Accept',
    text: 'Anyone who writes opens a ticket; the sender becomes its requester.',
  },
  refuse: {
    title: 'Refuse',
    text: 'Mail from senders Deskside does not know opens no ticket: it is logged as “not served” and the sender gets one short answer saying so.',
  },
} as const;

/** The port that usually goes with an IMAP security mode, offered when the mode changes. */
const IMAP_PORT_FOR = { tls: 993, starttls: 143, none: 143 } as const;

const CHECK_KIND_LABELS: Record<Exclude<MailboxCheckDto, { ok: true }>['kind'], string> = {
  config: 'Settings',
  connection: 'Connection',
  tls: 'TLS',
  auth: 'Sign-in',
  folder: 'Folder',
  bind: 'Listening address',
};

/** The server's 400 issues by field (`body.imapPort` → imapPort; `body.addresses.2` → addresses). */
function fieldErrorsOf(error: ApiError | null, addresses: readonly string[]): FieldErrors {
  if (!error || error.status !== 400 || !Array.isArray(error.details)) return {};
  const errors: FieldErrors = {};
  for (const issue of error.details as { path?: unknown; message?: unknown }[]) {
    const [where, field, index] = String(issue.path ?? '').split('.');
    if (where !== 'body' || !field || errors[field]) continue;
    const address = index !== undefined ? addresses[Number(index)] : undefined;
    errors[field] = address !== undefined ? `“${address}”: ${String(issue.message)}` : String(issue.message);
  }
  return errors;
}

/** A labelled field with its error under it (not inside the label, so the input's name stays the label). */
function Field(props: { id: string; label: string; error?: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.hint ? <small className="muted">{props.hint}</small> : null}
      {props.error ? (
        <small className="error-text" id={`${props.id}-error`}>
          {props.error}
        </small>
      ) : null}
    </div>
  );
}

/** The props that tie an input to its Field's error. */
const invalid = (id: string, error: string | undefined) =>
  error ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` } : {};

/** A one-line text input in its Field, tied to the field's error. */
function TextField(props: {
  id: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  value: string;
  placeholder?: string;
  onChange(value: string): void;
}): ReactElement {
  return (
    <Field id={props.id} label={props.label} error={props.error} hint={props.hint}>
      <input
        id={props.id}
        className="input"
        value={props.value}
        placeholder={props.placeholder}
        onChange={(e) => props.onChange(e.target.value)}
        {...invalid(props.id, props.error)}
      />
    </Field>
  );
}

/** Settings → Mailbox: how mail reaches the help desk, unknown senders, the connection test and the import log. */
export function MailboxTab(): ReactElement {
  const loaded = useMailbox();
  const save = useSaveMailbox();
  const [form, setForm] = useState<Form | null>(null);
  const [password, setPassword] = useState<PasswordAction>({ kind: 'keep' });
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (!loaded.data) return;
    setForm(formOf(loaded.data));
    setPassword({ kind: 'keep' });
  }, [loaded.data]);
  if (!form || !loaded.data)
    return loaded.error ? <ErrorAlert error={loaded.error} /> : <p className="muted">Loading…</p>;
  const saved = loaded.data;
  const set = (patch: Partial<Form>) => {
    setNotice(null);
    setForm({ ...form, ...patch });
  };
  const errors = fieldErrorsOf(error, form.addresses);
  const unplaced = error && Object.keys(errors).length === 0 ? error : null;

  /** The form as the API takes it; the password only when IT replaced or cleared it. */
  const bodyOf = (): PutMailboxRequest => {
    const { maxMessageMb, ...rest } = form;
    const imapPassword =
      password.kind === 'clear'
        ? ''
        : password.kind === 'replace' && password.value !== ''
          ? password.value
          : undefined;
    return {
      ...rest,
      maxMessageBytes: Math.round(maxMessageMb * MB),
      ...(imapPassword !== undefined ? { imapPassword } : {}),
    };
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await save.mutateAsync(bodyOf());
      setNotice('Mailbox settings saved.');
    } catch (err) {
      setError(asApiError(err));
    }
  };

  return (
    <div className="stack">
      <form className="card stack mail-card" aria-label="Incoming mail" noValidate onSubmit={(e) => void submit(e)}>
        <div className="mail-card-head">
          <h2>Incoming mail</h2>
          <ModeBadge settings={saved} />
        </div>
        <fieldset className="mailbox-choice">
          <legend>How mail reaches the help desk</legend>
          <div className="mailbox-options mailbox-options-3">
            {MAILBOX_MODES.map((mode) => (
              <label key={mode} className={form.mode === mode ? 'mailbox-option active' : 'mailbox-option'}>
                <input
                  type="radio"
                  name="mailbox-mode"
                  value={mode}
                  checked={form.mode === mode}
                  onChange={() => set({ mode })}
                />
                <span>
                  <strong>{MODE_TEXT[mode].title}</strong>
                  <span className="muted">{MODE_TEXT[mode].text}</span>
                </span>
              </label>
            ))}
          </div>
          {errors.mode ? <small className="error-text">{errors.mode}</small> : null}
        </fieldset>

        {form.mode === 'imap' ? (
          <ImapFields
            form={form}
            set={set}
            errors={errors}
            passwordSet={saved.imapPasswordSet}
            password={password}
            setPassword={(p) => {
              setNotice(null);
              setPassword(p);
            }}
          />
        ) : null}
        {form.mode === 'smtp' ? (
          <SmtpFields form={form} set={set} errors={errors} fromAddress={saved.fromAddress} />
        ) : null}

        {form.mode !== 'off' ? (
          <>
            <fieldset className="mailbox-choice">
              <legend>Senders Deskside does not know</legend>
              <div className="mailbox-options mailbox-options-2">
                {UNKNOWN_SENDER_POLICIES.map((policy) => (
                  <label
                    key={policy}
                    className={form.unknownSenders === policy ? 'mailbox-option active' : 'mailbox-option'}
                  >
                    <input
                      type="radio"
                      name="mailbox-unknown-senders"
                      value={policy}
                      checked={form.unknownSenders === policy}
                      onChange={() => set({ unknownSenders: policy })}
                    />
                    <span>
                      <strong>{POLICY_TEXT[policy].title}</strong>
                      <span className="muted">{POLICY_TEXT[policy].text}</span>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="admin-form-row">
              <Field
                id="mailbox-max-size"
                label="Largest message (MB)"
                error={errors.maxMessageBytes}
                hint="Bigger messages are refused and logged as failed."
              >
                <input
                  id="mailbox-max-size"
                  className="input mailbox-narrow"
                  type="number"
                  step={1}
                  value={form.maxMessageMb}
                  onChange={(e) => set({ maxMessageMb: Number(e.target.value) })}
                  {...invalid('mailbox-max-size', errors.maxMessageBytes)}
                />
              </Field>
            </div>
          </>
        ) : null}

        {unplaced ? <ErrorAlert error={unplaced} /> : null}
        {error && !unplaced ? (
          <div className="alert alert-error" role="alert">
            Not saved: check the fields marked in red.
          </div>
        ) : null}
        <Notice message={notice} />
        <div className="toolbar">
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            Save mailbox settings
          </button>
        </div>
        {form.mode !== 'off' ? <ConnectionTest body={bodyOf} onFieldErrors={setError} /> : null}
      </form>
      <MailImportsLog />
    </div>
  );
}

function ModeBadge({ settings }: { settings: MailboxSettingsDto }): ReactElement {
  if (settings.mode === 'off') return <span className="badge badge-warning">Off: no mail is received</span>;
  const what =
    settings.mode === 'imap'
      ? `Reading ${settings.imapFolder} of ${settings.imapUser} on ${settings.imapHost}`
      : `Listening on ${settings.smtpHost}:${settings.smtpPort}`;
  const t = settings.transport;
  if (!t) return <span className="badge">{what} (run by another server instance)</span>;
  if (t.running) return <span className="badge badge-ok">{what}</span>;
  return (
    <span className="badge badge-critical" title={t.error ?? undefined}>
      Not running: {t.error ?? 'starting'}
    </span>
  );
}

interface FieldsProps {
  form: Form;
  set(patch: Partial<Form>): void;
  errors: FieldErrors;
}

function ImapFields(
  props: FieldsProps & { passwordSet: boolean; password: PasswordAction; setPassword(p: PasswordAction): void },
): ReactElement {
  const { form, set, errors, password, setPassword } = props;
  return (
    <fieldset className="mailbox-fields">
      <legend>IMAP mailbox</legend>
      <div className="admin-form-row">
        <Field id="mailbox-imap-host" label="IMAP host" error={errors.imapHost}>
          <input
            id="mailbox-imap-host"
            className="input"
            value={form.imapHost}
            placeholder="imap.example.com"
            onChange={(e) => set({ imapHost: e.target.value })}
            {...invalid('mailbox-imap-host', errors.imapHost)}
          />
        </Field>
        <Field id="mailbox-imap-tls" label="Security" error={errors.imapTls}>
          <select
            id="mailbox-imap-tls"
            className="input"
            value={form.imapTls}
            onChange={(e) => {
              const imapTls = e.target.value as Form['imapTls'];
              set({ imapTls, imapPort: IMAP_PORT_FOR[imapTls] });
            }}
          >
            <option value="tls">TLS from the start (usually port 993)</option>
            <option value="starttls">STARTTLS (usually port 143)</option>
            <option value="none">None (a mail server on this machine only)</option>
          </select>
        </Field>
        <Field id="mailbox-imap-port" label="IMAP port" error={errors.imapPort}>
          <input
            id="mailbox-imap-port"
            className="input"
            type="number"
            value={form.imapPort}
            onChange={(e) => set({ imapPort: Number(e.target.value) })}
            {...invalid('mailbox-imap-port', errors.imapPort)}
          />
        </Field>
      </div>
      <div className="admin-form-row">
        <Field id="mailbox-imap-user" label="User name" error={errors.imapUser}>
          <input
            id="mailbox-imap-user"
            className="input"
            value={form.imapUser}
            autoComplete="off"
            placeholder="help@example.com"
            onChange={(e) => set({ imapUser: e.target.value })}
            {...invalid('mailbox-imap-user', errors.imapUser)}
          />
        </Field>
        <PasswordField
          passwordSet={props.passwordSet}
          password={password}
          setPassword={setPassword}
          error={errors.imapPassword}
        />
        <Field
          id="mailbox-imap-folder"
          label="Folder"
          error={errors.imapFolder}
          hint="Where the help desk’s mail arrives; usually INBOX."
        >
          <input
            id="mailbox-imap-folder"
            className="input"
            value={form.imapFolder}
            onChange={(e) => set({ imapFolder: e.target.value })}
            {...invalid('mailbox-imap-folder', errors.imapFolder)}
          />
        </Field>
      </div>
    </fieldset>
  );
}

/** The write-only password: "set" with Replace and Clear, or an input while replacing (or when none is set). */
function PasswordField(props: {
  passwordSet: boolean;
  password: PasswordAction;
  setPassword(p: PasswordAction): void;
  error?: string;
}): ReactElement {
  const { passwordSet, password, setPassword } = props;
  const id = 'mailbox-imap-password';
  if (passwordSet && password.kind !== 'replace')
    return (
      <div className="field">
        <span className="mailbox-label">Password</span>
        <div className="mailbox-password" role="group" aria-label="Password">
          {password.kind === 'keep' ? (
            <>
              <span className="badge badge-ok">Set</span>
              <span className="muted small">Stored on the server; never shown.</span>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => setPassword({ kind: 'replace', value: '' })}
              >
                Replace
              </button>
              <button type="button" className="btn btn-small" onClick={() => setPassword({ kind: 'clear' })}>
                Clear
              </button>
            </>
          ) : (
            <>
              <span className="badge badge-warning">Cleared on save</span>
              <button type="button" className="btn btn-small" onClick={() => setPassword({ kind: 'keep' })}>
                Undo
              </button>
            </>
          )}
        </div>
      </div>
    );
  const value = password.kind === 'replace' ? password.value : '';
  return (
    <Field id={id} label={passwordSet ? 'New password' : 'Password'} error={props.error}>
      <div className="mailbox-password">
        <input
          id={id}
          className="input"
          type="password"
          autoComplete="new-password"
          value={value}
          placeholder={passwordSet ? 'Type the new password' : 'Not set'}
          onChange={(e) => setPassword({ kind: 'replace', value: e.target.value })}
          {...invalid(id, props.error)}
        />
        {passwordSet ? (
          <button type="button" className="btn btn-small" onClick={() => setPassword({ kind: 'keep' })}>
            Keep the saved one
          </button>
        ) : null}
      </div>
    </Field>
  );
}

function SmtpFields(props: FieldsProps & { fromAddress: string }): ReactElement {
  const { form, set, errors } = props;
  return (
    <fieldset className="mailbox-fields">
      <legend>SMTP listener</legend>
      <div className="admin-form-row">
        <TextField
          id="mailbox-smtp-host"
          label="Listen on address"
          error={errors.smtpHost}
          hint="127.0.0.1 behind a relay on this machine; 0.0.0.0 to take mail from the network."
          value={form.smtpHost}
          onChange={(smtpHost) => set({ smtpHost })}
        />
        <Field
          id="mailbox-smtp-port"
          label="Listen on port"
          error={errors.smtpPort}
          hint="25 for an MX; any free port behind a relay or forwarding rule."
        >
          <input
            id="mailbox-smtp-port"
            className="input"
            type="number"
            value={form.smtpPort}
            onChange={(e) => set({ smtpPort: Number(e.target.value) })}
            {...invalid('mailbox-smtp-port', errors.smtpPort)}
          />
        </Field>
      </div>
      <div className="admin-form-row">
        <TextField
          id="mailbox-smtp-tls-cert"
          label="STARTTLS certificate file (optional)"
          error={errors.smtpTlsCertFile}
          hint="A PEM file on the server, the chain included (certbot’s fullchain.pem). Renewed files are picked up."
          value={form.smtpTlsCertFile ?? ''}
          placeholder="/etc/letsencrypt/live/help.example.com/fullchain.pem"
          onChange={(smtpTlsCertFile) => set({ smtpTlsCertFile })}
        />
        <TextField
          id="mailbox-smtp-tls-key"
          label="Its key file"
          error={errors.smtpTlsKeyFile}
          hint="Readable by the Deskside server. Without both files, mail arrives unencrypted."
          value={form.smtpTlsKeyFile ?? ''}
          placeholder="/etc/letsencrypt/live/help.example.com/privkey.pem"
          onChange={(smtpTlsKeyFile) => set({ smtpTlsKeyFile })}
        />
      </div>
      <AddressesEditor
        addresses={form.addresses}
        onChange={(addresses) => set({ addresses })}
        error={errors.addresses}
        fromAddress={props.fromAddress}
      />
    </fieldset>
  );
}

/** The addresses the listener accepts mail for: one chip each, removable, and a box to add one. */
function AddressesEditor(props: {
  addresses: string[];
  onChange(addresses: string[]): void;
  error?: string;
  fromAddress: string;
}): ReactElement {
  const [draft, setDraft] = useState('');
  const id = 'mailbox-address-new';
  const add = () => {
    const address = draft.trim();
    if (!address) return;
    if (!props.addresses.some((a) => a.toLowerCase() === address.toLowerCase()))
      props.onChange([...props.addresses, address]);
    setDraft('');
  };
  return (
    <div className="field">
      <span className="mailbox-label">Accepted addresses</span>
      {props.addresses.length > 0 ? (
        <ul className="mailbox-chips" aria-label="Accepted addresses">
          {props.addresses.map((address) => (
            <li key={address} className="mailbox-chip">
              {address}
              <button
                type="button"
                className="mailbox-chip-remove"
                aria-label={`Remove ${address}`}
                onClick={() => props.onChange(props.addresses.filter((a) => a !== address))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <small className="muted">
          {props.fromAddress
            ? `None listed: mail to ${props.fromAddress} (the From address under Email) is accepted.`
            : 'None listed, and no From address under Email yet: list the address mail is sent to.'}
        </small>
      )}
      <div className="mailbox-password mailbox-address-add">
        <input
          id={id}
          className="input"
          type="email"
          aria-label="Add an accepted address"
          value={draft}
          placeholder="help@example.com"
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            add();
          }}
          {...invalid('mailbox-addresses', props.error)}
        />
        <button type="button" className="btn btn-small" onClick={add} disabled={!draft.trim()}>
          Add address
        </button>
      </div>
      <small className="muted">Mail to any other address is refused when it arrives.</small>
      {props.error ? (
        <small className="error-text" id="mailbox-addresses-error">
          {props.error}
        </small>
      ) : null}
    </div>
  );
}

/** "Test connection": the saved settings with the form's unsaved values laid over them. */
function ConnectionTest(props: { body(): PutMailboxRequest; onFieldErrors(error: ApiError | null): void }) {
  const test = useTestMailbox();
  const [result, setResult] = useState<MailboxCheckDto | null>(null);
  const run = async () => {
    setResult(null);
    props.onFieldErrors(null);
    try {
      setResult(await test.mutateAsync(props.body()));
    } catch (err) {
      props.onFieldErrors(asApiError(err));
    }
  };
  return (
    <div className="stack mailbox-test">
      <div className="toolbar">
        <button type="button" className="btn" disabled={test.isPending} onClick={() => void run()}>
          {test.isPending ? 'Testing…' : 'Test connection'}
        </button>
        <span className="muted small">Tries the settings above, saved or not.</span>
      </div>
      {result?.ok ? (
        <div className="alert mailbox-result-ok" role="status">
          <strong>Connected.</strong> {result.detail}
        </div>
      ) : null}
      {result && !result.ok ? (
        <div className="alert alert-error" role="status">
          <strong>{CHECK_KIND_LABELS[result.kind]} failed.</strong> {result.message}
          <span className="admin-error-code"> ({result.kind})</span>
        </div>
      ) : null}
    </div>
  );
}
