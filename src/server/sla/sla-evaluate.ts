// Moved to sla-evaluate.service.ts; this path stays until the tickets domain imports the new one.
export * from './sla-evaluate.service';
