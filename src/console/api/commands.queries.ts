import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CommandDto } from '../../shared/api/commands';
import type { LocalActionDto } from '../../shared/api/local-actions';
import { call, type BodyOf } from './http';

/*
 * Remote actions on a device (issue 12): a ticket's commands and a device's, the request that queues
 * one and the cancel of a queued one. The staff event stream names each command that changes
 * (`commandChanged`, from live.ts); COMMANDS_REFRESH_MS is only the fallback for a stream that dropped.
 */

/** How often an open list of commands re-reads while nothing was heard on the event stream. */
export const COMMANDS_REFRESH_MS = 15_000;

export type { CommandDto, LocalActionDto };
export type CommandRequest = BodyOf<'requestCommand'>;

export const commandKeys = {
  all: ['commands'] as const,
  ticket: (ticketId: number) => [...commandKeys.all, 'ticket', ticketId] as const,
  device: (deviceId: string) => [...commandKeys.all, 'device', deviceId] as const,
};

/** A command was requested, moved or ended: the lists that show it read again. */
export function commandChanged(client: QueryClient, event: { ticketId: number | null; deviceId: string }): void {
  if (event.ticketId !== null) void client.invalidateQueries({ queryKey: commandKeys.ticket(event.ticketId) });
  void client.invalidateQueries({ queryKey: commandKeys.device(event.deviceId) });
}

/** The commands requested from a ticket, newest first. */
export function useTicketCommands(ticketId: number) {
  return useQuery({
    queryKey: commandKeys.ticket(ticketId),
    queryFn: ({ signal }) => call('listTicketCommands', { params: { id: ticketId }, signal }),
    select: (answer) => answer.commands,
    refetchInterval: COMMANDS_REFRESH_MS,
  });
}

/** A device's commands (from every ticket and its own page), newest first. */
export function useDeviceCommands(deviceId: string) {
  return useQuery({
    queryKey: commandKeys.device(deviceId),
    queryFn: ({ signal }) => call('listDeviceCommands', { params: { id: deviceId }, signal }),
    select: (answer) => answer.commands,
    refetchInterval: COMMANDS_REFRESH_MS,
  });
}

/**
 * The Fix-it runs the device's employee started (issue 12), newest first. Keyed under the device's
 * commands, so the staff event that names the device (`commandChanged`) reads them again too.
 */
export function useDeviceLocalActions(deviceId: string) {
  return useQuery({
    queryKey: [...commandKeys.device(deviceId), 'local'] as const,
    queryFn: ({ signal }) => call('listDeviceLocalActions', { params: { id: deviceId }, signal }),
    select: (answer) => answer.runs,
    refetchInterval: COMMANDS_REFRESH_MS,
  });
}

/** Requests an action on the ticket's device; the lists show it at once. */
export function useRequestCommand(ticketId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CommandRequest) => call('requestCommand', { params: { id: ticketId }, body }),
    onSuccess: (command) => commandChanged(client, command),
  });
}

/** Cancels a command the device has not taken yet. */
export function useCancelCommand() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call('cancelCommand', { params: { id } }),
    onSuccess: (command) => commandChanged(client, command),
  });
}
