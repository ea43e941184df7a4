import { useEffect, useState } from 'react';
import type { TicketDto } from '../../shared/api/tickets';
import { formatSpan } from '../../shared/format';

/*
 * SLA clocks as technicians read them ("due in 2 h 13 m", "overdue 35 m") and one shared clock that
 * ticks so every countdown on screen moves together. The formatting itself is src/shared/format.ts.
 */

const HOUR = 3_600_000;

/** Now, re-read every `intervalMs`: drives countdowns. */
export function useNow(intervalMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** The SLA clock that matters now, and how it stands. */
export interface SlaView {
  label: string;
  tone: 'ok' | 'warning' | 'breach' | 'met' | 'none';
  text: string;
}

/** Share of the time budget left below which a running clock shows as a warning. */
const WARNING_LEFT_MS = HOUR;

/**
 * The next due time of a ticket: first response until someone answered, then resolution. Resolved
 * and closed tickets show whether the SLA was met. Colour follows the server's state and the clock.
 */
export function slaView(ticket: Pick<TicketDto, 'status' | 'firstResponseAt' | 'sla'>, now: number): SlaView {
  const { sla } = ticket;
  if (ticket.status === 'resolved' || ticket.status === 'closed') {
    if (sla.state === 'breached') return { label: 'SLA', tone: 'breach', text: 'breached' };
    return sla.state === 'none'
      ? { label: 'SLA', tone: 'none', text: 'no SLA' }
      : { label: 'SLA', tone: 'met', text: 'met' };
  }
  const responding = ticket.firstResponseAt === null && sla.firstResponseDueAt !== null;
  const due = responding ? sla.firstResponseDueAt : sla.resolutionDueAt;
  const label = responding ? 'Response' : 'Resolution';
  if (!due) return { label: 'SLA', tone: 'none', text: 'no SLA' };
  const left = Date.parse(due) - now;
  if (left <= 0) return { label, tone: 'breach', text: `overdue ${formatSpan(left)}` };
  const tone =
    sla.state === 'breached' ? 'breach' : sla.state === 'warning' || left < WARNING_LEFT_MS ? 'warning' : 'ok';
  return { label, tone, text: `due in ${formatSpan(left)}` };
}

/** One due time as a countdown: "due in 2 h 13 m" / "overdue 35 m". */
export function dueText(due: string | null, now: number): string {
  if (!due) return '—';
  const left = Date.parse(due) - now;
  return left <= 0 ? `overdue ${formatSpan(left)}` : `due in ${formatSpan(left)}`;
}
