// @vitest-environment jsdom
import { renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TicketDto } from '../../shared/api/tickets';
import { useFreshTickets } from './fresh';

const t = (id: number) => ({ id }) as TicketDto;

describe('fresh tickets in the queue', () => {
  it('marks what a refresh brought, wherever it sorts, but not the first load, a new filter or "load more"', () => {
    const { result, rerender } = renderHook(
      ({ tickets, pages, filter }: { tickets: TicketDto[] | undefined; pages: number; filter: string }) =>
        useFreshTickets(tickets, pages, filter),
      { initialProps: { tickets: undefined as TicketDto[] | undefined, pages: 0, filter: '' } },
    );
    rerender({ tickets: [t(1), t(2)], pages: 1, filter: '' });
    expect([...result.current]).toEqual([]);
    // A refresh: ticket 3 sorts last (lower priority), ticket 4 first.
    rerender({ tickets: [t(4), t(1), t(2), t(3)], pages: 1, filter: '' });
    expect([...result.current].sort()).toEqual([3, 4]);
    // "Load more" adds a page of older tickets: not fresh.
    rerender({ tickets: [t(4), t(1), t(2), t(3), t(9)], pages: 2, filter: '' });
    expect([...result.current].sort()).toEqual([3, 4]);
    // Another filter starts afresh.
    rerender({ tickets: [t(7)], pages: 1, filter: '?sla=breached' });
    expect([...result.current]).toEqual([]);
  });
});
