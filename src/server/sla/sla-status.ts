// Moved to sla-status.service.ts; this path stays until the tickets domain imports the new one.
export * from './sla-status.service';
