import type { ReactElement, ReactNode } from 'react';

/*
 * The other list shape of the settings tabs: rows that are only a draft until the form around them is
 * saved as a whole (the probe plan's IT targets, the network sites). Each row is a line of inputs with a
 * Remove button; "Add a …" appends a blank row. Entries the server saves one at a time use EditableList.
 */

export interface DraftRowsProps<T> {
  rows: readonly T[];
  onChange(rows: T[]): void;
  /** The row's name when IT has not named it yet: `${noun} ${n}`, also the prefix of its inputs' labels. */
  noun: string;
  /** The name IT gave the row, if any (the row's accessible name and its Remove button's). */
  labelOf(row: T): string;
  /** The row's inputs; `name` is the prefix of their accessible names ("Target 2 host"). */
  fields(row: T, name: string, set: (patch: Partial<T>) => void): ReactNode;
  /** A new blank row. */
  blank(): T;
  addLabel: string;
  empty: string;
  /** The most rows the server takes; Add is disabled at it. */
  max?: number;
  /** Extra class of each row. */
  rowClassName?: string;
  /** Shown after the Add button (e.g. the form's Save button). */
  footer?: ReactNode;
  /** False while the saved rows load: no empty text yet, Add disabled. */
  ready?: boolean;
}

/** An editable list of draft rows with Remove per row and an Add button; the enclosing form saves them. */
export function DraftRows<T>(props: DraftRowsProps<T>): ReactElement {
  const { rows, onChange, ready = true } = props;
  return (
    <>
      {ready && rows.length === 0 ? <p className="muted">{props.empty}</p> : null}
      <ul className="admin-list">
        {rows.map((row, i) => {
          const name = `${props.noun} ${i + 1}`;
          const label = props.labelOf(row) || name;
          const set = (patch: Partial<T>) => onChange(rows.map((old, j) => (j === i ? { ...old, ...patch } : old)));
          return (
            <li
              key={i}
              className={`admin-list-item${props.rowClassName ? ` ${props.rowClassName}` : ''}`}
              aria-label={label}
            >
              <div className="admin-form-row">
                {props.fields(row, name, set)}
                <div className="row admin-end">
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-label={`Remove ${label}`}
                    onClick={() => onChange(rows.filter((_, j) => j !== i))}
                  >
                    Remove
                  </button>
                </div>
              </div>
            </li>
          );
        })}
      </ul>
      <div className="row">
        <button
          type="button"
          className="btn btn-small"
          disabled={!ready || (props.max !== undefined && rows.length >= props.max)}
          onClick={() => onChange([...rows, props.blank()])}
        >
          {props.addLabel}
        </button>
        {props.footer}
      </div>
    </>
  );
}

const ROW_FIELDS = {
  /** The row's id: lowercase letters, digits and "-", as the server's slugs. */
  id: { label: 'Id', attrs: { pattern: '[a-z0-9][a-z0-9\\-]{0,39}', title: 'Lowercase letters, digits and "-"' } },
  /** What IT calls the row. */
  name: { label: 'Name', attrs: { maxLength: 80 } },
} as const;

/** The id or the name input of a draft row (required); its accessible name is "Target 2 id", "Site 1 name". */
export function RowField(props: {
  kind: keyof typeof ROW_FIELDS;
  row: string;
  value: string;
  placeholder: string;
  onChange(v: string): void;
}): ReactElement {
  const { label, attrs } = ROW_FIELDS[props.kind];
  return (
    <label className="field">
      <span>{label}</span>
      <input
        className="input"
        aria-label={`${props.row} ${props.kind}`}
        value={props.value}
        placeholder={props.placeholder}
        required
        {...attrs}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}
