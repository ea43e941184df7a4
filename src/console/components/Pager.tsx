import type { ReactElement } from 'react';

/** Previous/next over a list of `total` items shown `page` at a time from `offset`. */
export function Pager({
  label,
  total,
  page,
  offset,
  onOffset,
}: {
  label: string;
  total: number;
  page: number;
  offset: number;
  onOffset: (offset: number) => void;
}): ReactElement | null {
  if (total <= page) return null;
  return (
    <nav className="pager" aria-label={label}>
      <span className="muted small">
        {offset + 1}–{Math.min(total, offset + page)} of {total}
      </span>
      <button
        type="button"
        className="btn btn-small"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - page))}
      >
        Previous
      </button>
      <button
        type="button"
        className="btn btn-small"
        disabled={offset + page >= total}
        onClick={() => onOffset(offset + page)}
      >
        Next
      </button>
    </nav>
  );
}
