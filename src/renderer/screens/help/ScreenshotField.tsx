import { useState, type ReactElement } from 'react';
import { formatBytes } from '../../../shared/format';
import type { Screenshot } from '../../../shared/ipc/contract';
import { Icon } from '../../components/Icon';
import { invoke } from '../../lib/bridge';

/** The optional screenshot: take one, see it, remove it. */
export function ScreenshotField({
  value,
  onChange,
}: {
  value: Screenshot | null;
  onChange: (screenshot: Screenshot | null) => void;
}): ReactElement {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function capture(): Promise<void> {
    setBusy(true);
    setError(null);
    const response = await invoke('screenshot:capture', {});
    setBusy(false);
    if (response.ok) onChange(response.value);
    else setError(response.error.message);
  }

  async function remove(): Promise<void> {
    if (!value) return;
    onChange(null);
    await invoke('screenshot:discard', { screenshotId: value.screenshotId });
  }

  return (
    <fieldset className="field screenshot-field">
      <legend>Screenshot (optional)</legend>
      {value ? (
        <div className="screenshot">
          <img src={value.dataUrl} alt="Screenshot that will be attached" width={value.width} height={value.height} />
          <div className="screenshot-meta">
            <span className="muted small">
              {value.width}×{value.height}, {formatBytes(value.bytes)}
            </span>
            <button type="button" className="button button-small" onClick={() => void remove()}>
              Remove screenshot
            </button>
          </div>
        </div>
      ) : (
        <div className="row">
          <button type="button" className="button" onClick={() => void capture()} disabled={busy}>
            <Icon name="camera" size={16} />
            {busy ? 'Taking a screenshot…' : 'Add a screenshot of my screen'}
          </button>
          <span className="muted small">You will see it here before anything is sent.</span>
        </div>
      )}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}
