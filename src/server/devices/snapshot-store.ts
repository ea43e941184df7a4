/*
 * Moved to snapshots.service.ts (storing and reading snapshots) and snapshots.repo.ts (their queries).
 * This re-export only keeps src/server/tickets/ticket-create.service.ts compiling until it imports
 * from snapshots.service.ts; delete it then.
 */
export { deviceStateOf, prepareSnapshot, savePreparedSnapshot, type PreparedSnapshot } from './snapshots.service';
