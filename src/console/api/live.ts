import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import { parseStaffEvent, PRESENCE_RENEW_MS, TYPING_TTL_MS, type StaffEvent } from '../../shared/channel/staff-events';
import { remoteChanged } from './remote.queries';
import { commandChanged, commandKeys } from './commands.queries';
import { devicesChanged } from './devices.queries';
import { netmonChanged } from './netmon.queries';
import { call, urlOf } from './http';
import { reloadThread, ticketKeys } from './tickets.queries';

/*
 * The console's live side: one server-sent event stream per signed-in console (staffEvents), which
 * refreshes what an event names at once (a ticket's thread and the queue, a thread's delivered and read
 * marks, devices' online state, remote commands) and tells the ticket page when the employee is typing; and this technician's presence on the
 * ticket they have open, which the employee's tray window shows ("Sam is here", "Sam is typing…").
 */

/** When each ticket's "employee is typing" ends (ms since epoch), for the pages that show it. */
const typingUntil = new Map<number, number>();
const listeners = new Set<() => void>();
const notify = () => {
  for (const listener of listeners) listener();
};

function employeeTyped(ticketId: number): void {
  typingUntil.set(ticketId, Date.now() + TYPING_TTL_MS);
  notify();
  setTimeout(() => {
    if ((typingUntil.get(ticketId) ?? 0) <= Date.now()) {
      typingUntil.delete(ticketId);
      notify();
    }
  }, TYPING_TTL_MS + 50);
}

/** Opens the staff event stream while mounted (the signed-in shell mounts it once). */
export function useStaffEvents(): void {
  const client = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(urlOf('staffEvents'));
    let opened = false;
    const onEvent = (event: StaffEvent) => {
      switch (event.type) {
        case 'ticket':
          void client.invalidateQueries({ queryKey: ticketKeys.detail(event.ticketId) });
          void client.invalidateQueries({ queryKey: ticketKeys.messages(event.ticketId) });
          void client.invalidateQueries({ queryKey: ticketKeys.events(event.ticketId) });
          void client.invalidateQueries({ queryKey: ticketKeys.queues() });
          void client.invalidateQueries({ queryKey: ticketKeys.lists() });
          // A reply ends the typing that led to it.
          if (typingUntil.delete(event.ticketId)) notify();
          return;
        case 'marks':
          for (const id of event.ticketIds) void reloadThread(client, id).catch(() => {});
          return;
        case 'device-typing':
          return employeeTyped(event.ticketId);
        case 'devices':
          return devicesChanged(client, event.deviceIds);
        case 'command':
          return commandChanged(client, event);
        case 'remote':
          return remoteChanged(client, event);
        case 'netmon':
          return netmonChanged(client, event);
        case 'presence':
          return;
      }
    };
    source.onmessage = (message: MessageEvent<string>) => {
      const event = parseStaffEvent(message.data);
      if (event) onEvent(event);
    };
    // After a reconnect, what happened meanwhile was not heard: refresh tickets and devices once.
    source.onopen = () => {
      if (opened) {
        void client.invalidateQueries({ queryKey: ticketKeys.all });
        devicesChanged(client, null);
        void client.invalidateQueries({ queryKey: commandKeys.all });
        netmonChanged(client, null);
      }
      opened = true;
    };
    return () => source.close();
  }, [client]);
}

/** Whether the employee is typing on the ticket now. */
export function useEmployeeTyping(ticketId: number): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => (typingUntil.get(ticketId) ?? 0) > Date.now(),
  );
}

/**
 * This technician is on the ticket while the page is mounted (renewed every PRESENCE_RENEW_MS, withdrawn
 * on leaving); returns `typing()`, to call as they type a reply the employee will see (throttled).
 */
export function useTicketPresence(ticketId: number): { typing(): void } {
  const lastTyping = useRef(0);
  useEffect(() => {
    const say = (typing: boolean) =>
      call('ticketPresence', { params: { id: ticketId }, body: { present: true, typing } }).catch(() => {});
    void say(false);
    const renew = setInterval(() => void say(false), PRESENCE_RENEW_MS);
    return () => {
      clearInterval(renew);
      void call('ticketPresence', { params: { id: ticketId }, body: { present: false, typing: false } }).catch(
        () => {},
      );
    };
  }, [ticketId]);
  const typing = useCallback(() => {
    const now = Date.now();
    if (now - lastTyping.current < TYPING_TTL_MS / 2) return;
    lastTyping.current = now;
    void call('ticketPresence', { params: { id: ticketId }, body: { present: true, typing: true } }).catch(() => {});
  }, [ticketId]);
  return { typing };
}
