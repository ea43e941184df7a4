import type { ServerContext } from '../context';

/** Periodic SLA evaluation: warning and breach states, escalation rules. Returns a stop function. */
export function startSlaJob(_ctx: ServerContext, _intervalMs = 15_000): () => Promise<void> {
  // The evaluation arrives with the SLA module.
  return async () => {};
}
