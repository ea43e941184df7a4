import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { RemoteSessionDto } from '../../shared/api/remote';
import { REMOTE_FINAL_STATUSES } from '../../shared/remote/remote-limits';
import { call, type BodyOf } from './http';

/*
 * Remote sessions (issue 13): a device's sessions, one session (re-read while it is open: the staff event
 * stream names each change, `remoteChanged` from live.ts; the interval is the fallback), the request and
 * the stop. The console tunnel's one-time token comes only in the request's answer (or a rejoin's: a fresh
 * one after a reload or a lost connection): it is kept in this tab's sessionStorage for the session page,
 * never in a URL.
 */

export type { RemoteSessionDto };
export type RemoteRequest = BodyOf<'requestRemoteSession'>;

const OPEN_REFRESH_MS = 1_000;
const TOKEN_KEY = (id: string) => `deskside.remote-token.${id}`;

export const remoteKeys = {
  all: ['remote'] as const,
  session: (id: string) => [...remoteKeys.all, 'session', id] as const,
  device: (deviceId: string) => [...remoteKeys.all, 'device', deviceId] as const,
};

/** A session changed: what shows it reads again. */
export function remoteChanged(client: QueryClient, event: { sessionId: string; deviceId: string }): void {
  void client.invalidateQueries({ queryKey: remoteKeys.session(event.sessionId) });
  void client.invalidateQueries({ queryKey: remoteKeys.device(event.deviceId) });
}

export const isFinal = (session: Pick<RemoteSessionDto, 'status'>) => REMOTE_FINAL_STATUSES.includes(session.status);

export function useRemoteSession(id: string) {
  return useQuery({
    queryKey: remoteKeys.session(id),
    queryFn: ({ signal }) => call('getRemoteSession', { params: { id }, signal }),
    refetchInterval: (query) => (query.state.data && isFinal(query.state.data) ? false : OPEN_REFRESH_MS),
  });
}

export function useDeviceRemoteSessions(deviceId: string) {
  return useQuery({
    queryKey: remoteKeys.device(deviceId),
    queryFn: ({ signal }) => call('listDeviceRemoteSessions', { params: { id: deviceId }, signal }),
    select: (answer) => answer.sessions,
    refetchInterval: 15_000,
  });
}

/** Asks for a session; its console token is kept for this tab's session page. */
export function useRequestRemoteSession(deviceId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: RemoteRequest) => call('requestRemoteSession', { params: { id: deviceId }, body }),
    onSuccess: (session) => {
      if (session.consoleToken) sessionStorage.setItem(TOKEN_KEY(session.id), session.consoleToken);
      remoteChanged(client, { sessionId: session.id, deviceId });
    },
  });
}

export function useStopRemoteSession() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call('stopRemoteSession', { params: { id } }),
    onSuccess: (session) => remoteChanged(client, { sessionId: session.id, deviceId: session.deviceId }),
  });
}

/** Joins a running session again (the requester only): a fresh one-time console token, kept for this tab. */
export function useRejoinRemoteSession() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call('rejoinRemoteSession', { params: { id } }),
    onSuccess: (session) => {
      if (session.consoleToken) sessionStorage.setItem(TOKEN_KEY(session.id), session.consoleToken);
      remoteChanged(client, { sessionId: session.id, deviceId: session.deviceId });
    },
  });
}

/** The console token of a session requested in this tab (null: another tab or browser asked for it). */
export function consoleTokenOf(id: string): string | null {
  return sessionStorage.getItem(TOKEN_KEY(id));
}

/** Forgets a session's token once it cannot be used again. */
export function forgetConsoleToken(id: string): void {
  sessionStorage.removeItem(TOKEN_KEY(id));
}
