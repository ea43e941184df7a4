import type { ReactElement, ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

/*
 * The small shared pieces every screen uses for its loading, empty and error states, and for
 * severity/status badges, so all screens look and read alike.
 */

/** A spinner with a text that says what is being waited for. */
export function Loading({ label }: { label: string }): ReactElement {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** A failure stated plainly, with a way to try again when there is one. */
export function ErrorBox({
  title,
  message,
  onRetry,
}: {
  title: string;
  message: string;
  onRetry?: () => void;
}): ReactElement {
  return (
    <div className="callout callout-critical" role="alert">
      <Icon name="critical" />
      <div className="callout-body">
        <strong>{title}</strong>
        <p>{message}</p>
        {onRetry && (
          <button type="button" className="button button-small" onClick={onRetry}>
            Try again
          </button>
        )}
      </div>
    </div>
  );
}

/** What an empty list means and what to do about it. */
export function Empty({
  icon,
  title,
  children,
}: {
  icon: IconName;
  title: string;
  children?: ReactNode;
}): ReactElement {
  return (
    <div className="empty">
      <span className="empty-icon">
        <Icon name={icon} size={28} />
      </span>
      <strong>{title}</strong>
      {children && <div className="empty-text">{children}</div>}
    </div>
  );
}

/** Tones shared by badges and callouts. */
export type Tone = 'ok' | 'info' | 'warning' | 'critical' | 'neutral' | 'accent';

/** A short coloured label. */
export function Badge({ tone, children }: { tone: Tone; children: ReactNode }): ReactElement {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** A highlighted block of text (notice, warning, confirmation). */
export function Callout({
  tone,
  icon,
  title,
  children,
}: {
  tone: Tone;
  icon: IconName;
  title?: string;
  children?: ReactNode;
}): ReactElement {
  return (
    <div className={`callout callout-${tone}`}>
      <Icon name={icon} />
      <div className="callout-body">
        {title && <strong>{title}</strong>}
        {children}
      </div>
    </div>
  );
}
