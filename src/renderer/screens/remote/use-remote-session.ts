import type { RemoteSessionPrompt } from '../../../shared/ipc/contract';
import { useIpcQuery } from '../../lib/ipc-query';

/** The remote session on this computer now (`remote:current`, kept current by main's `remote:session` event). */
export function useRemoteSession(): RemoteSessionPrompt | null {
  return useIpcQuery('remote:current', {}).value?.session ?? null;
}
