import { useEffect, useState } from 'react';
import type { TicketDto } from '../../shared/api/tickets';

/*
 * Time as technicians read it: "due in 2 h 13 m", "overdue 35 m", "5 min ago", and one shared
 * clock that ticks so every countdown on screen moves together.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** "2 d 4 h", "2 h 13 m", "13 m", "45 s" for a positive span in ms. */
export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= DAY) {
    const d = Math.floor(abs / DAY);
    const h = Math.floor((abs % DAY) / HOUR);
    return h ? `${d} d ${h} h` : `${d} d`;
  }
  if (abs >= HOUR) {
    const h = Math.floor(abs / HOUR);
    const m = Math.floor((abs % HOUR) / MIN);
    return m ? `${h} h ${m} m` : `${h} h`;
  }
  if (abs >= MIN) return `${Math.floor(abs / MIN)} m`;
  return `${Math.floor(abs / 1000)} s`;
}

/** "5 m ago", "just now", "in 3 h". */
export function formatRelative(iso: string, now: number): string {
  const diff = Date.parse(iso) - now;
  if (Math.abs(diff) < 45_000) return 'just now';
  return diff < 0 ? `${formatSpan(diff)} ago` : `in ${formatSpan(diff)}`;
}

/** A stable, readable date and time in the viewer's zone: "24 Nov 2026, 09:30". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

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
