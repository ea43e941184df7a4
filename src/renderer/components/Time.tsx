import type { ReactElement } from 'react';
import { formatDateTime, formatWhen } from '../../shared/format';

/** A timestamp shown relative ("5 min ago") with the full date on hover and for assistive tech. */
export function Time({ iso, prefix }: { iso: string; prefix?: string }): ReactElement {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {prefix ? `${prefix} ` : ''}
      {formatWhen(iso)}
    </time>
  );
}
