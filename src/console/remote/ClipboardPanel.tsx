import { useId, useState, type ReactElement } from 'react';
import { CopyButton } from '../admin/settings/CopyButton';

/*
 * The clipboard of a remote-control session (issue 13): text the technician pastes here is sent to the
 * device's clipboard (noVNC's RFB.clipboardPasteFrom: RFB ClientCutText, which x11vnc puts into the X
 * CLIPBOARD and PRIMARY selections), and what is copied on the device arrives through noVNC's `clipboard`
 * event and shows below with a Copy button. Classic RFB carries ISO 8859-1 only: other characters reach
 * the device as "?" unless the VNC server speaks the extended clipboard.
 */

/** Longest text sent at once: a paste is for a command or an address, not a file. */
export const CLIPBOARD_SEND_MAX = 64 * 1024;

export function ClipboardPanel({
  canSend,
  fromDevice,
  onSend,
}: {
  /** A connected control session the technician has not switched to view only. */
  canSend: boolean;
  /** The latest text copied on the device, or null before any. */
  fromDevice: string | null;
  onSend: (text: string) => void;
}): ReactElement {
  const [text, setText] = useState('');
  const [sent, setSent] = useState(false);
  const id = useId();
  const latin1 = [...text].every((c) => c.codePointAt(0)! <= 0xff);
  return (
    <section className="card remote-clipboard" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Clipboard</h2>
      <div className="remote-clipboard-columns">
        <div>
          <label htmlFor={`${id}-send`}>Paste on the device</label>
          <textarea
            id={`${id}-send`}
            rows={3}
            value={text}
            maxLength={CLIPBOARD_SEND_MAX}
            onChange={(e) => {
              setText(e.target.value);
              setSent(false);
            }}
            placeholder="Text to put on the device's clipboard"
          />
          <div className="remote-clipboard-actions">
            <button
              type="button"
              className="btn"
              disabled={!canSend || text === ''}
              onClick={() => {
                onSend(text);
                setSent(true);
              }}
            >
              Send to the device
            </button>
            <span className="muted small" aria-live="polite">
              {sent ? 'Sent: paste it on the device (Ctrl+V).' : ''}
            </span>
          </div>
          {!latin1 && <p className="muted small">Characters outside Latin-1 may arrive as “?” (a VNC limit).</p>}
        </div>
        <div>
          <label htmlFor={`${id}-recv`}>Copied on the device</label>
          <textarea
            id={`${id}-recv`}
            rows={3}
            readOnly
            value={fromDevice ?? ''}
            placeholder="What the employee copies shows here"
          />
          <div className="remote-clipboard-actions">
            <CopyButton text={fromDevice ?? ''} label="Copy the device's clipboard text" targetId={`${id}-recv`} />
          </div>
        </div>
      </div>
    </section>
  );
}
