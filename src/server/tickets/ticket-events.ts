// Moved to ticket-events.repo.ts; this path stays until the SLA domain imports the new one. Delete it then.
export * from './ticket-events.repo';
