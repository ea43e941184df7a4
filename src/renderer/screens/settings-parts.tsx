import type { ReactElement, ReactNode } from 'react';
import { Icon } from '../components/Icon';

/** Whether IT fixed this dotted key (or a parent of it) in managed configuration. */
export function isManaged(managed: readonly string[], key: string): boolean {
  return managed.some((m) => m === key || key.startsWith(`${m}.`));
}

/** The lock note on settings IT has fixed. */
export function ManagedNote(): ReactElement {
  return (
    <span className="managed-note">
      <Icon name="lock" size={14} /> Set by your IT department
    </span>
  );
}

/** A checkbox setting with a description, locked when managed. */
export function Toggle({
  id,
  label,
  description,
  checked,
  locked,
  onChange,
}: {
  id: string;
  label: string;
  description: ReactNode;
  checked: boolean;
  locked: boolean;
  onChange: (checked: boolean) => void;
}): ReactElement {
  return (
    <div className={`toggle${locked ? ' locked' : ''}`}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={locked}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={`${id}-description`}
      />
      <div>
        <label htmlFor={id}>{label}</label>
        <p id={`${id}-description`} className="muted small">
          {description}
          {locked && (
            <>
              {' '}
              <ManagedNote />
            </>
          )}
        </p>
      </div>
    </div>
  );
}
