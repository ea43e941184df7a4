import { useState, type ReactElement, type ReactNode } from 'react';
import type { ApiError } from '../../api/http';

/** An error from the server, in words, with its stable code for support. */
export function ErrorAlert({ error, prefix }: { error: ApiError | null; prefix?: string }): ReactElement | null {
  if (!error) return null;
  return (
    <div className="alert alert-error" role="alert">
      {prefix ? `${prefix}: ` : ''}
      {error.message}
      {error.code && error.status ? <span className="admin-error-code"> ({error.code})</span> : null}
    </div>
  );
}

/** What technicians see on an admin page: the server would answer 403 anyway. */
export function AdminsOnly({ title }: { title: string }): ReactElement {
  return (
    <div className="page">
      <div className="page-header">
        <h1>{title}</h1>
      </div>
      <div className="alert alert-info" role="status">
        <strong>Admins only.</strong> This page is for IT administrators. Ask an administrator if you need something
        changed here.
      </div>
    </div>
  );
}

/** A danger button that asks "are you sure?" in place before it acts. */
export function ConfirmButton(props: {
  label: string;
  confirmLabel?: string;
  question: string;
  onConfirm(): void | Promise<void>;
  disabled?: boolean;
  small?: boolean;
}): ReactElement {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const size = props.small ? ' btn-small' : '';
  if (!asking) {
    return (
      <button
        type="button"
        className={`btn btn-danger${size}`}
        disabled={props.disabled}
        onClick={() => setAsking(true)}
      >
        {props.label}
      </button>
    );
  }
  return (
    <span className="admin-confirm" role="group" aria-label={props.question}>
      <span>{props.question}</span>
      <button
        type="button"
        className={`btn btn-danger${size}`}
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await props.onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {props.confirmLabel ?? `Yes, ${props.label.toLowerCase()}`}
      </button>
      <button type="button" className={`btn${size}`} onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

/** A page frame with a heading and optional actions on the right. */
export function AdminPage({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}): ReactElement {
  return (
    <div className="page admin-page">
      <div className="page-header">
        <h1>{title}</h1>
        {actions}
      </div>
      {children}
    </div>
  );
}

/** The sentence a settings tab announces after a save or a removal (a polite live region). */
export function Notice({ message }: { message: string | null }): ReactElement | null {
  if (!message) return null;
  return (
    <div className="alert alert-info" role="status">
      {message}
    </div>
  );
}
