import { readdirSync, readFileSync } from 'node:fs';

/** Names of this process's live (not zombie) children, from Linux /proc (stat field 4 is the parent pid). */
export function liveChildren(): string[] {
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const mine = Number(fields[1]) === process.pid && fields[0] !== 'Z';
        return mine ? [stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))] : [];
      } catch {
        return [];
      }
    });
}
