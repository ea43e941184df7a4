import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AlertRuleDto, IncidentDto, TicketIncidentDto } from '../../shared/api/netmon-alerts';
import { call, type BodyOf } from './http';

/* Network alert rules (admins edit them in settings) and the incident a ticket belongs to. */

export type { AlertRuleDto, IncidentDto, TicketIncidentDto };

export const alertKeys = {
  rules: ['netmon', 'alert-rules'] as const,
  ticket: (id: number) => ['netmon', 'ticket-incident', id] as const,
};

export function useAlertRules() {
  return useQuery({ queryKey: alertKeys.rules, queryFn: ({ signal }) => call('listNetmonAlertRules', { signal }) });
}

/** Adds, changes or removes rules; the list reads again. */
export function useAlertRuleMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: alertKeys.rules });
  return {
    create: useMutation({
      mutationFn: (body: BodyOf<'createNetmonAlertRule'>) => call('createNetmonAlertRule', { body }),
      onSuccess,
    }),
    save: useMutation({
      mutationFn: ({ id, body }: { id: number; body: BodyOf<'putNetmonAlertRule'> }) =>
        call('putNetmonAlertRule', { params: { id: String(id) }, body }),
      onSuccess,
    }),
    remove: useMutation({
      mutationFn: (id: number) => call('deleteNetmonAlertRule', { params: { id: String(id) } }),
      onSuccess,
    }),
  };
}

/** The network incident a ticket is, or is linked to. */
export function useTicketIncident(ticketId: number) {
  return useQuery({
    queryKey: alertKeys.ticket(ticketId),
    queryFn: ({ signal }) => call('getTicketIncident', { params: { id: String(ticketId) }, signal }),
  });
}
