import { useState, type FormEvent, type ReactElement, type ReactNode } from 'react';
import type { ApiError } from '../../api/http';
import { asApiError } from '../../api/query-client';
import { ConfirmButton, ErrorAlert } from './ui';

/*
 * The shape most settings tabs share: a list of entries the server saves one at a time, each row with its
 * summary, an Edit button that swaps the row for a form, and a Delete button that asks first; below the
 * list, the same form empty for adding. The tab supplies what differs (the summary, the form's fields,
 * the mutations); the mutations come from the domain's `*.queries.ts` hooks, which invalidate the list's
 * query on success, so the list shows the change without any refetch here.
 */

/** What EditableList hands the tab's form, for adding (`item` null) and for editing an entry. */
export interface EntryFormProps<T> {
  /** The entry being edited, or null for the add form below the list. */
  item: T | null;
  /** Call with the sentence to announce once the server saved the entry. */
  onSaved(message: string): void;
  /** Present when editing: closes the form without saving. */
  onCancel?: () => void;
}

/** What a row's summary may do besides Edit and Delete (e.g. an Enabled checkbox that saves at once). */
export interface RowActions {
  /** Runs `work`; a refusal shows on the row, success announces `message` (when given). */
  run(work: () => Promise<unknown>, message?: string): Promise<void>;
}

export interface RemoveOptions<T> {
  /** The button's label; `Delete` unless given. */
  label?: string | ((item: T) => string);
  /** The in-place question of the confirm step; without it the button acts on the first click. */
  question?: (item: T) => string;
  /** Removes the entry on the server (a mutation whose success invalidates the list). */
  run(item: T): Promise<unknown>;
  /** The sentence announced once it is removed. */
  message(item: T): string;
}

export interface EditableListProps<T> {
  /** The entries; undefined while the query loads (the empty text waits for an answer). */
  items: readonly T[] | undefined;
  /** A React key that changes when the entry does, so an open row resets to the saved entry. */
  keyOf(item: T): string;
  /** The row's accessible name (`listitem` role), usually the name IT gave the entry. */
  nameOf(item: T): string;
  /** The row's content before its buttons. */
  summary(item: T, actions: RowActions): ReactNode;
  /** The add and edit form; without it the list has no Edit buttons and no add form. */
  form?: (props: EntryFormProps<T>) => ReactNode;
  /** False for a list whose entries are added but not edited (no Edit button); true unless given. */
  editable?: boolean;
  remove?: RemoveOptions<T>;
  /** Told every sentence worth announcing (saved, removed); the tab shows it in a `Notice`. */
  onChanged(message: string): void;
  /** Shown when the server answered with no entries. */
  empty: string;
  /** The list's accessible name. */
  listLabel?: string;
  /** True (default): the list and the add form each sit in their own card; false inside a card already. */
  framed?: boolean;
}

function Row<T>(props: EditableListProps<T> & { item: T }): ReactElement {
  const { item, form, remove, onChanged } = props;
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const name = props.nameOf(item);
  const run = async (work: () => Promise<unknown>, message?: string) => {
    setError(null);
    try {
      await work();
      if (message) onChanged(message);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const removeLabel = typeof remove?.label === 'function' ? remove.label(item) : (remove?.label ?? 'Delete');
  return (
    <li className="admin-list-item" aria-label={name}>
      <ErrorAlert error={error} />
      {editing && form ? (
        form({ item, onSaved: (m) => (setEditing(false), onChanged(m)), onCancel: () => setEditing(false) })
      ) : (
        <div className="row admin-wrap">
          {props.summary(item, { run })}
          {form && props.editable !== false ? (
            <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>
              Edit
            </button>
          ) : null}
          {remove?.question ? (
            <ConfirmButton
              small
              label={removeLabel}
              question={remove.question(item)}
              onConfirm={() => run(() => remove.run(item), remove.message(item))}
            />
          ) : remove ? (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => void run(() => remove.run(item), remove.message(item))}
            >
              {removeLabel}
            </button>
          ) : null}
        </div>
      )}
    </li>
  );
}

/**
 * A list of settings entries with add, edit (the row becomes the form) and delete (confirmed in place),
 * each refusal shown where it happened. Build a new settings tab on it: pass the query's data as `items`,
 * a `form` rendering the fields (use `useEntryForm` inside it), `remove` with the domain's delete mutation,
 * and show the announced sentences with `<Notice>` (./ui).
 */
export function EditableList<T>(props: EditableListProps<T>): ReactElement {
  const { items, form, framed = true } = props;
  const empty = items && items.length === 0;
  const list = (
    <>
      {empty ? framed ? <div className="empty">{props.empty}</div> : <p className="muted">{props.empty}</p> : null}
      <ul className="admin-list" aria-label={props.listLabel}>
        {(items ?? []).map((item) => (
          <Row key={props.keyOf(item)} {...props} item={item} />
        ))}
      </ul>
    </>
  );
  const add = form ? form({ item: null, onSaved: props.onChanged }) : null;
  if (!framed)
    return (
      <>
        {list}
        {add}
      </>
    );
  return (
    <>
      <div className="card admin-flush">{list}</div>
      {add ? <div className="card">{add}</div> : null}
    </>
  );
}

export interface EntryFormOptions<D> {
  /** The draft the form opens with. */
  initial: D;
  /** The draft the add form goes back to after a save; absent when editing (the form closes instead). */
  reset?: D;
  /** The form's own check, as the server's: the first problem in words, or null. */
  problemOf?: (draft: D) => string | null;
  /** Sends the draft (a mutation whose success invalidates the list). */
  save(draft: D): Promise<unknown>;
  /** The sentence announced after a save. */
  savedMessage(draft: D): string;
  onSaved(message: string): void;
}

/** A form's draft, its check and its save: `submit` is the form's onSubmit; show `error` and `problem` with `FormAlerts`. */
export function useEntryForm<D>(options: EntryFormOptions<D>) {
  const [draft, setDraft] = useState<D>(options.initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const set = (patch: Partial<D>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    setError(null);
    const found = options.problemOf?.(draft) ?? null;
    setProblem(found);
    if (found) return;
    try {
      await options.save(draft);
      options.onSaved(options.savedMessage(draft));
      if (options.reset !== undefined) setDraft(options.reset);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return { draft, setDraft, set, problem, error, submit };
}

/** The server's refusal and the form's own problem, above a form's fields. */
export function FormAlerts(props: { error: ApiError | null; problem?: string | null; prefix?: string }): ReactElement {
  return (
    <>
      <ErrorAlert error={props.error} prefix={props.prefix} />
      {props.problem ? (
        <div className="alert alert-error" role="alert">
          {props.problem}
        </div>
      ) : null}
    </>
  );
}
