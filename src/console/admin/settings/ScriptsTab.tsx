import { useState, type ReactElement } from 'react';
import {
  SCRIPT_BODY_MAX,
  SCRIPT_PARAM_NAME_PATTERN,
  SCRIPT_PARAMS_MAX,
  SCRIPT_SHELLS,
  SCRIPT_SLUG_MESSAGE,
  SCRIPT_SLUG_PATTERN,
  SCRIPT_TIMEOUT_DEFAULT_SECONDS,
  SCRIPT_TIMEOUT_MAX_SECONDS,
  isVisibleText,
  scriptPatternRegExp,
  type ScriptParamType,
} from '../../../shared/actions/script-info';
import type { ApiError } from '../../api/http';
import { useItCatalog, useItMutations, type ItScriptDto } from '../../api/it-actions.queries';
import { asApiError } from '../../api/query-client';
import { ConfirmButton, ErrorAlert } from '../common/ui';

/*
 * IT scripts (issue 12): an IT admin writes a script per OS (bash on Linux, PowerShell on Windows, zsh or
 * sh on macOS), declares its parameters (name, type, required, most characters, pattern) and says whether
 * it changes something. Technicians can then run it from a ticket as `script.<slug>`; the employee's
 * consent prompt shows the body exactly as saved, and each value reaches the script as one argument
 * (`$1 $2 …` in declaration order; `-Name value` in PowerShell), never as part of its text.
 */

type Os = 'linux' | 'win32' | 'darwin';
const OSES: readonly { os: Os; label: string }[] = [
  { os: 'linux', label: 'Linux' },
  { os: 'win32', label: 'Windows' },
  { os: 'darwin', label: 'macOS' },
];

interface ParamDraft {
  name: string;
  label: string;
  type: ScriptParamType;
  required: boolean;
  maxLength: string;
  pattern: string;
}

interface Draft {
  slug: string;
  title: string;
  description: string;
  risk: 'reads' | 'changes';
  timeoutSeconds: string;
  bodies: Record<Os, { shell: string; body: string }>;
  parameters: ParamDraft[];
}

const emptyDraft = (): Draft => ({
  slug: '',
  title: '',
  description: '',
  risk: 'changes',
  timeoutSeconds: String(SCRIPT_TIMEOUT_DEFAULT_SECONDS),
  bodies: {
    linux: { shell: 'bash', body: '' },
    win32: { shell: 'powershell', body: '' },
    darwin: { shell: 'zsh', body: '' },
  },
  parameters: [],
});

function draftOf(script: ItScriptDto): Draft {
  const empty = emptyDraft();
  return {
    slug: script.slug,
    title: script.title,
    description: script.description,
    risk: script.risk,
    timeoutSeconds: String(script.timeoutSeconds),
    bodies: {
      linux: script.bodies.linux ?? empty.bodies.linux,
      win32: script.bodies.win32 ?? empty.bodies.win32,
      darwin: script.bodies.darwin ?? empty.bodies.darwin,
    },
    parameters: script.parameters.map((p) => ({
      name: p.name,
      label: p.label ?? '',
      type: p.type,
      required: p.required,
      maxLength: p.maxLength === undefined ? '' : String(p.maxLength),
      pattern: p.pattern ?? '',
    })),
  };
}

/** The form's own check, as the server's: the first problem in words, or null. */
function problemOf(draft: Draft): string | null {
  if (!SCRIPT_SLUG_PATTERN.test(draft.slug)) return `Slug: ${SCRIPT_SLUG_MESSAGE}`;
  if (!draft.title.trim()) return 'Title: enter the name technicians and employees see';
  if (!draft.description.trim()) return 'Description: say what the script does (the employee reads it)';
  const timeout = Number(draft.timeoutSeconds);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > SCRIPT_TIMEOUT_MAX_SECONDS)
    return `Timeout: a whole number of seconds from 1 to ${SCRIPT_TIMEOUT_MAX_SECONDS}`;
  const written = OSES.filter(({ os }) => draft.bodies[os].body.trim());
  if (written.length === 0) return 'Write the script for at least one OS';
  for (const { os, label } of written) {
    const body = draft.bodies[os].body;
    if (body.length > SCRIPT_BODY_MAX) return `${label} script: at most ${SCRIPT_BODY_MAX} characters`;
    if (!isVisibleText(body))
      return `${label} script: must not contain control or bidi-override characters (they hide what runs)`;
  }
  const seen = new Set<string>();
  for (const [i, p] of draft.parameters.entries()) {
    const where = `Parameter ${i + 1}`;
    if (!SCRIPT_PARAM_NAME_PATTERN.test(p.name)) return `${where}: the name starts with a letter; letters, digits, "_"`;
    if (seen.has(p.name.toLowerCase())) return `${where}: "${p.name}" is already a parameter`;
    seen.add(p.name.toLowerCase());
    if (p.maxLength && !/^\d+$/.test(p.maxLength)) return `${where}: most characters must be a whole number`;
    if (p.pattern && !scriptPatternRegExp(p.pattern)) return `${where}: the pattern is not a valid regular expression`;
  }
  return null;
}

/** The request body of a draft (the form checked it first). */
function bodyOf(draft: Draft) {
  const bodies = Object.fromEntries(
    OSES.filter(({ os }) => draft.bodies[os].body.trim()).map(({ os }) => [os, draft.bodies[os]]),
  );
  return {
    title: draft.title.trim(),
    description: draft.description.trim(),
    risk: draft.risk,
    timeoutSeconds: Number(draft.timeoutSeconds),
    bodies,
    parameters: draft.parameters.map((p) => ({
      name: p.name,
      ...(p.label.trim() ? { label: p.label.trim() } : {}),
      type: p.type,
      required: p.required,
      ...(p.type === 'string' && p.maxLength ? { maxLength: Number(p.maxLength) } : {}),
      ...(p.type === 'string' && p.pattern ? { pattern: p.pattern } : {}),
    })),
  };
}

function ParamRow({
  param,
  index,
  onChange,
  onRemove,
}: {
  param: ParamDraft;
  index: number;
  onChange(p: ParamDraft): void;
  onRemove(): void;
}): ReactElement {
  const at = `Parameter ${index + 1}`;
  return (
    <fieldset className="admin-form-row" aria-label={at}>
      <label className="field">
        <span>Name</span>
        <input
          className="input"
          aria-label={`${at} name`}
          spellCheck={false}
          value={param.name}
          onChange={(e) => onChange({ ...param, name: e.target.value })}
        />
      </label>
      <label className="field">
        <span>Label</span>
        <input
          className="input"
          aria-label={`${at} label`}
          value={param.label}
          onChange={(e) => onChange({ ...param, label: e.target.value })}
        />
      </label>
      <label className="field">
        <span>Type</span>
        <select
          className="input"
          aria-label={`${at} type`}
          value={param.type}
          onChange={(e) => onChange({ ...param, type: e.target.value as ScriptParamType })}
        >
          <option value="string">Text</option>
          <option value="number">Number</option>
          <option value="boolean">Yes / no</option>
        </select>
      </label>
      {param.type === 'string' && (
        <>
          <label className="field">
            <span>Most characters</span>
            <input
              className="input"
              aria-label={`${at} most characters`}
              inputMode="numeric"
              value={param.maxLength}
              onChange={(e) => onChange({ ...param, maxLength: e.target.value })}
            />
          </label>
          <label className="field">
            <span>Pattern</span>
            <input
              className="input"
              aria-label={`${at} pattern`}
              spellCheck={false}
              placeholder="e.g. [A-Za-z0-9 _-]+"
              value={param.pattern}
              onChange={(e) => onChange({ ...param, pattern: e.target.value })}
            />
          </label>
        </>
      )}
      <label className="row internal-toggle">
        <input
          type="checkbox"
          aria-label={`${at} required`}
          checked={param.required}
          onChange={(e) => onChange({ ...param, required: e.target.checked })}
        />
        Required
      </label>
      <button type="button" className="btn btn-small" onClick={onRemove}>
        Remove parameter
      </button>
    </fieldset>
  );
}

function ScriptForm({
  initial,
  editing,
  onSaved,
  onCancel,
}: {
  initial: Draft;
  editing: boolean;
  onSaved(message: string): void;
  onCancel?: () => void;
}): ReactElement {
  const [draft, setDraft] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const { saveScript } = useItMutations();
  const label = editing ? `Edit ${initial.title}` : 'Add a script';
  const setParam = (i: number, p: ParamDraft | null) =>
    setDraft({
      ...draft,
      parameters:
        p === null ? draft.parameters.filter((_, j) => j !== i) : draft.parameters.map((q, j) => (j === i ? p : q)),
    });
  const submit = async () => {
    setError(null);
    const found = problemOf(draft);
    setProblem(found);
    if (found) return;
    try {
      await saveScript.mutateAsync({ slug: draft.slug, body: bodyOf(draft) });
      onSaved(`Script “${draft.title.trim()}” saved.`);
      if (!editing) setDraft(emptyDraft());
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <form
      className="stack"
      aria-label={label}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>{label}</h2>
      <ErrorAlert error={error} prefix="The server refused" />
      {problem && (
        <div className="alert alert-error" role="alert">
          {problem}
        </div>
      )}
      <div className="admin-form-row">
        <label className="field">
          <span>Slug (action script.…)</span>
          <input
            className="input"
            aria-label="Slug"
            spellCheck={false}
            disabled={editing}
            value={draft.slug}
            onChange={(e) => setDraft({ ...draft, slug: e.target.value })}
          />
        </label>
        <label className="field admin-grow">
          <span>Title</span>
          <input
            className="input"
            aria-label="Title"
            value={draft.title}
            onChange={(e) => setDraft({ ...draft, title: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Risk</span>
          <select
            className="input"
            aria-label="Risk"
            value={draft.risk}
            onChange={(e) => setDraft({ ...draft, risk: e.target.value as Draft['risk'] })}
          >
            <option value="changes">Changes the device (always asks the employee)</option>
            <option value="reads">Reads only (IT policy decides)</option>
          </select>
        </label>
        <label className="field">
          <span>Timeout (seconds)</span>
          <input
            className="input"
            aria-label="Timeout (seconds)"
            inputMode="numeric"
            value={draft.timeoutSeconds}
            onChange={(e) => setDraft({ ...draft, timeoutSeconds: e.target.value })}
          />
        </label>
      </div>
      <label className="field">
        <span>Description (the employee reads it before allowing)</span>
        <input
          className="input"
          aria-label="Description"
          value={draft.description}
          onChange={(e) => setDraft({ ...draft, description: e.target.value })}
        />
      </label>
      {OSES.map(({ os, label: name }) => (
        <div key={os} className="field">
          <div className="row">
            <span>{name} script</span>
            <select
              className="input"
              aria-label={`${name} interpreter`}
              value={draft.bodies[os].shell}
              onChange={(e) =>
                setDraft({
                  ...draft,
                  bodies: { ...draft.bodies, [os]: { ...draft.bodies[os], shell: e.target.value } },
                })
              }
            >
              {SCRIPT_SHELLS[os].map((shell) => (
                <option key={shell} value={shell}>
                  {shell}
                </option>
              ))}
            </select>
            <span className="muted small">Empty: not offered on {name}.</span>
          </div>
          <textarea
            className="input script-body"
            aria-label={`${name} script`}
            rows={6}
            spellCheck={false}
            value={draft.bodies[os].body}
            onChange={(e) =>
              setDraft({ ...draft, bodies: { ...draft.bodies, [os]: { ...draft.bodies[os], body: e.target.value } } })
            }
          />
        </div>
      ))}
      <div className="stack">
        <strong>Parameters</strong>
        <p className="muted small">
          Values reach the script as arguments: <code>$1 $2 …</code> in this order (bash, zsh, sh), or{' '}
          <code>-Name value</code> (PowerShell, yes/no as 1/0). They are never inserted into the script&apos;s text.
        </p>
        {draft.parameters.map((p, i) => (
          <ParamRow key={i} param={p} index={i} onChange={(q) => setParam(i, q)} onRemove={() => setParam(i, null)} />
        ))}
        <div>
          <button
            type="button"
            className="btn btn-small"
            disabled={draft.parameters.length >= SCRIPT_PARAMS_MAX}
            onClick={() =>
              setDraft({
                ...draft,
                parameters: [
                  ...draft.parameters,
                  { name: '', label: '', type: 'string', required: false, maxLength: '', pattern: '' },
                ],
              })
            }
          >
            Add a parameter
          </button>
        </div>
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={saveScript.isPending}>
          Save script
        </button>
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function ScriptRow({ script, onChanged }: { script: ItScriptDto; onChanged(message: string): void }): ReactElement {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const { removeScript } = useItMutations();
  if (editing)
    return (
      <li className="admin-list-item" aria-label={script.title}>
        <ScriptForm
          initial={draftOf(script)}
          editing
          onSaved={(m) => (setEditing(false), onChanged(m))}
          onCancel={() => setEditing(false)}
        />
      </li>
    );
  const oses = OSES.filter(({ os }) => script.bodies[os]).map(({ label }) => label);
  return (
    <li className="admin-list-item" aria-label={script.title}>
      <ErrorAlert error={error} />
      <div className="row admin-wrap">
        <span className={`badge ${script.risk === 'reads' ? 'badge-info' : 'badge-warning'}`}>
          {script.risk === 'reads' ? 'Reads only' : 'Changes the device'}
        </span>
        <strong>{script.title}</strong>
        <code className="muted">{script.action}</code>
        <span className="muted admin-grow">
          {oses.join(', ')} · {script.parameters.length} parameter{script.parameters.length === 1 ? '' : 's'}
        </span>
        <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>
          Edit
        </button>
        <ConfirmButton
          small
          label="Delete"
          question={`Delete the script “${script.title}”?`}
          onConfirm={async () => {
            setError(null);
            try {
              await removeScript.mutateAsync(script.slug);
              onChanged(`Script “${script.title}” deleted.`);
            } catch (e) {
              setError(asApiError(e));
            }
          }}
        />
      </div>
    </li>
  );
}

/** IT scripts of the action catalog: list, add, edit, delete. */
export function ScriptsTab(): ReactElement {
  const catalog = useItCatalog();
  const [notice, setNotice] = useState<string | null>(null);
  const scripts = catalog.data?.scripts ?? [];
  return (
    <div className="stack">
      <p className="muted">
        Technicians can run these scripts on an employee&apos;s computer from a ticket, and only these: there is no
        free-form command. The employee sees the script exactly as written here before allowing it.
      </p>
      <ErrorAlert error={catalog.error ? asApiError(catalog.error) : null} />
      {notice && (
        <div className="alert alert-info" role="status">
          {notice}
        </div>
      )}
      <div className="card admin-flush">
        {catalog.data && scripts.length === 0 && <div className="empty">No scripts yet.</div>}
        <ul className="admin-list" aria-label="IT scripts">
          {scripts.map((s) => (
            <ScriptRow key={`${s.slug}-${s.updatedAt}`} script={s} onChanged={setNotice} />
          ))}
        </ul>
      </div>
      <div className="card">
        <ScriptForm initial={emptyDraft()} editing={false} onSaved={setNotice} />
      </div>
    </div>
  );
}
