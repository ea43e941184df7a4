import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { MessageDto } from '../../shared/api/tickets';
import { usePostMessage } from '../api/tickets.queries';
import { Markdown } from '../../ui/Markdown';
import { readJson, removeKey, writeJson } from '../lib/storage';
import { ArticlePicker } from './ArticlePicker';

/**
 * The reply editor: Markdown with Write and Preview tabs, a knowledge-base article inserted at the
 * cursor, and the internal-note switch. The draft is kept per ticket so a session expiry loses nothing.
 */
export function ReplyBox({
  ticketId,
  onPosted,
  onTyping,
}: {
  ticketId: number;
  /** Also told of a posted message; the thread shows it by itself (the data layer). */
  onPosted?(message: MessageDto): void;
  /** The technician types a reply the employee will see (not an internal note). */
  onTyping?(): void;
}): ReactElement {
  const post = usePostMessage(ticketId);
  const draftKey = `draft.${ticketId}`;
  const [text, setText] = useState(() => readJson<string>(draftKey, ''));
  const [tab, setTab] = useState<'write' | 'preview'>('write');
  const [internal, setInternal] = useState(false);
  const [picking, setPicking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  // Where the caret was: the textarea is re-mounted by the tabs and by the picker taking focus.
  const caret = useRef<number | null>(null);

  useEffect(() => {
    if (text) writeJson(draftKey, text);
    else removeKey(draftKey);
  }, [text, draftKey]);

  const insert = (snippet: string) => {
    const at = Math.min(caret.current ?? text.length, text.length);
    const before = text.slice(0, at);
    const glue = before && !before.endsWith('\n\n') ? (before.endsWith('\n') ? '\n' : '\n\n') : '';
    const inserted = `${before}${glue}${snippet}\n\n`;
    caret.current = inserted.length;
    setText(`${inserted}${text.slice(at)}`);
    setPicking(false);
    setTab('write');
    window.setTimeout(() => area.current?.focus(), 0);
  };

  const send = async () => {
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const message = await post.mutateAsync({ body: text, internal });
      setText('');
      caret.current = null;
      setInternal(false);
      setTab('write');
      onPosted?.(message);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className={`card reply ${internal ? 'reply-internal' : ''}`}
      aria-label="Reply"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div className="tabs">
        {/* Only the two tabs belong to the tablist; the article button sits beside it. */}
        <div className="tabs-list" role="tablist" aria-label="Reply editor">
          <button
            type="button"
            role="tab"
            className="tab"
            aria-selected={tab === 'write'}
            onClick={() => setTab('write')}
          >
            Write
          </button>
          <button
            type="button"
            role="tab"
            className="tab"
            aria-selected={tab === 'preview'}
            onClick={() => setTab('preview')}
          >
            Preview
          </button>
        </div>
        <span className="spacer" />
        <button type="button" className="btn btn-small" aria-expanded={picking} onClick={() => setPicking((p) => !p)}>
          Insert article
        </button>
      </div>
      {picking && <ArticlePicker onInsert={(i) => insert(i.text)} onClose={() => setPicking(false)} />}
      {tab === 'write' ? (
        <textarea
          ref={area}
          className="input reply-text"
          aria-label={internal ? 'Internal note (Markdown)' : 'Reply to the employee (Markdown)'}
          placeholder={
            internal
              ? 'A note only staff can see…'
              : 'Write a reply to the employee. Markdown works: **bold**, lists, links.'
          }
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            caret.current = e.target.selectionStart;
            if (!internal) onTyping?.();
          }}
          onSelect={(e) => (caret.current = e.currentTarget.selectionStart)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void send();
          }}
        />
      ) : (
        <div className="reply-preview" role="tabpanel" aria-label="Preview">
          {text.trim() ? <Markdown text={text} /> : <p className="muted">Nothing to preview yet.</p>}
        </div>
      )}
      {error && (
        <div className="error-text" role="alert">
          {error}
        </div>
      )}
      <div className="row">
        <label className="row internal-toggle">
          <input type="checkbox" checked={internal} onChange={(e) => setInternal(e.target.checked)} />
          Internal note (staff only)
        </label>
        <span className="spacer" />
        <span className="muted small">Ctrl+Enter sends</span>
        <button type="submit" className="btn btn-primary" disabled={busy || !text.trim()}>
          {busy ? 'Sending…' : internal ? 'Add note' : 'Send reply'}
        </button>
      </div>
    </form>
  );
}
