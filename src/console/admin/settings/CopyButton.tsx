import { useState, type ReactElement } from 'react';

/** Copies text to the clipboard and says so; falls back to selecting the text when copying is refused. */
export function CopyButton({
  text,
  label,
  targetId,
}: {
  text: string;
  label: string;
  targetId?: string;
}): ReactElement {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      className="btn btn-small"
      aria-label={label}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setState('copied');
        } catch {
          // No clipboard permission (e.g. plain HTTP on another host): select it for Ctrl+C instead.
          const node = targetId ? document.getElementById(targetId) : null;
          if (node) getSelection()?.selectAllChildren(node);
          setState('failed');
        }
      }}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Selected: press Ctrl+C' : 'Copy'}
    </button>
  );
}
