import type { ReactElement } from 'react';
import { formatFull, formatWhen } from '../lib/time';

/** A timestamp shown relative ("5 min ago") with the full date on hover and for assistive tech. */
export function Time({ iso, prefix }: { iso: string; prefix?: string }): ReactElement {
  return (
    <time dateTime={iso} title={formatFull(iso)}>
      {prefix ? `${prefix} ` : ''}
      {formatWhen(iso)}
    </time>
  );
}
