import { useState, type ReactElement } from 'react';
import { SCRIPT_PARAMS_MAX, SCRIPT_SHELLS, type ScriptParamType } from '../../../shared/actions/script-info';
import { useItCatalog, useItMutations, type ItScriptDto } from '../../api/it-actions.queries';
import { asApiError } from '../../api/query-client';
import { EditableList, FormAlerts, useEntryForm, type EntryFormProps } from '../common/EditableList';
import { ErrorAlert, Notice } from '../common/ui';
import { bodyOf, draftOf, emptyDraft, OSES, problemOf, type Draft, type ParamDraft } from './script-draft';

/*
 * IT scripts (issue 12): an IT admin writes a script per OS (bash on Linux, PowerShell on Windows, zsh or
 * sh on macOS), declares its parameters (name, type, required, most characters, pattern) and says whether
 * it changes something. Technicians can then run it from a ticket as `script.<slug>`; the employee's
 * consent prompt shows the body exactly as saved, and each value reaches the script as one argument
 * (`$1 $2 …` in declaration order; `-Name value` in PowerShell), never as part of its text.
 */

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

function ScriptForm({ item, onSaved, onCancel }: EntryFormProps<ItScriptDto>): ReactElement {
  const { saveScript } = useItMutations();
  const label = item ? `Edit ${item.title}` : 'Add a script';
  const { draft, setDraft, problem, error, submit } = useEntryForm({
    initial: item ? draftOf(item) : emptyDraft(),
    reset: item ? undefined : emptyDraft(),
    problemOf,
    save: (d) => saveScript.mutateAsync({ slug: d.slug, body: bodyOf(d) }),
    savedMessage: (d) => `Script “${d.title.trim()}” saved.`,
    onSaved,
  });
  const setParam = (i: number, p: ParamDraft | null) =>
    setDraft({
      ...draft,
      parameters:
        p === null ? draft.parameters.filter((_, j) => j !== i) : draft.parameters.map((q, j) => (j === i ? p : q)),
    });
  return (
    <form className="stack" aria-label={label} noValidate onSubmit={(e) => void submit(e)}>
      <h2>{label}</h2>
      <FormAlerts error={error} problem={problem} prefix="The server refused" />
      <div className="admin-form-row">
        <label className="field">
          <span>Slug (action script.…)</span>
          <input
            className="input"
            aria-label="Slug"
            spellCheck={false}
            disabled={item !== null}
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

/** IT scripts of the action catalog: list, add, edit, delete. */
export function ScriptsTab(): ReactElement {
  const catalog = useItCatalog();
  const { removeScript } = useItMutations();
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div className="stack">
      <p className="muted">
        Technicians can run these scripts on an employee&apos;s computer from a ticket, and only these: there is no
        free-form command. The employee sees the script exactly as written here before allowing it.
      </p>
      <ErrorAlert error={catalog.error ? asApiError(catalog.error) : null} />
      <Notice message={notice} />
      <EditableList<ItScriptDto>
        items={catalog.data?.scripts}
        keyOf={(s) => `${s.slug}-${s.updatedAt}`}
        nameOf={(s) => s.title}
        summary={(s) => (
          <>
            <span className={`badge ${s.risk === 'reads' ? 'badge-info' : 'badge-warning'}`}>
              {s.risk === 'reads' ? 'Reads only' : 'Changes the device'}
            </span>
            <strong>{s.title}</strong>
            <code className="muted">{s.action}</code>
            <span className="muted admin-grow">
              {OSES.filter(({ os }) => s.bodies[os])
                .map(({ label }) => label)
                .join(', ')}{' '}
              · {s.parameters.length} parameter{s.parameters.length === 1 ? '' : 's'}
            </span>
          </>
        )}
        form={(props) => <ScriptForm {...props} />}
        remove={{
          question: (s) => `Delete the script “${s.title}”?`,
          run: (s) => removeScript.mutateAsync(s.slug),
          message: (s) => `Script “${s.title}” deleted.`,
        }}
        onChanged={setNotice}
        empty="No scripts yet."
        listLabel="IT scripts"
      />
    </div>
  );
}
