import type { ReactElement, ReactNode } from 'react';
import { Icon } from './Icon';

/** A screen's frame: its heading (focus target after navigation), an optional back link and actions. */
export function Page({
  title,
  subtitle,
  back,
  actions,
  children,
}: {
  title: string;
  subtitle?: ReactNode;
  back?: { label: string; onClick: () => void };
  actions?: ReactNode;
  children: ReactNode;
}): ReactElement {
  return (
    <div className="page">
      {back && (
        <button type="button" className="back-link" onClick={back.onClick}>
          <Icon name="back" size={16} />
          {back.label}
        </button>
      )}
      <header className="page-header">
        <div className="page-titles">
          <h1 tabIndex={-1}>{title}</h1>
          {subtitle && <p className="page-subtitle">{subtitle}</p>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </header>
      {children}
    </div>
  );
}
