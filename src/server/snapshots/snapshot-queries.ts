// Moved to snapshots.repo.ts; this path stays until the devices domain imports the new one. Delete it then.
export * from './snapshots.repo';
