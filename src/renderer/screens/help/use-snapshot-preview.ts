import { useCallback, useEffect, useState } from 'react';
import type { SnapshotPreview } from '../../../shared/ipc/contract';
import { invoke } from '../../lib/bridge';

/** The preview as the form sees it: the last answer, or a transport failure. */
export type PreviewState =
  { status: 'collecting' } | { status: 'ready'; preview: SnapshotPreview } | { status: 'failed'; message: string };

/**
 * Starts snapshot collection when the form opens (it runs in the background while the employee
 * types) and waits for the result; `recollect` starts a fresh one.
 */
export function useSnapshotPreview(): { state: PreviewState; recollect: () => void } {
  const [state, setState] = useState<PreviewState>({ status: 'collecting' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    setState({ status: 'collecting' });
    void (async () => {
      const started = await invoke('snapshot:prepare', { fresh: generation > 0 });
      if (!live) return;
      if (!started.ok) return setState({ status: 'failed', message: started.error.message });
      let preview = started.value;
      // snapshot:preview waits up to the collector's budget; ask again only while still collecting.
      for (let attempt = 0; preview.state === 'collecting' && attempt < 5; attempt += 1) {
        const next = await invoke('snapshot:preview', {});
        if (!live) return;
        if (!next.ok) return setState({ status: 'failed', message: next.error.message });
        preview = next.value;
      }
      if (preview.state === 'failed')
        setState({ status: 'failed', message: preview.error ?? 'The details could not be collected.' });
      else if (preview.state === 'collecting')
        setState({ status: 'failed', message: 'Collecting the details is taking too long.' });
      else setState({ status: 'ready', preview });
    })();
    return () => {
      live = false;
    };
  }, [generation]);

  const recollect = useCallback(() => setGeneration((g) => g + 1), []);
  return { state, recollect };
}
