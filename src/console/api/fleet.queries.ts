import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { call, type QueryOf } from './http';

export const fleetKeys = {
  all: ['fleet'] as const,
  summary: () => [...fleetKeys.all, 'summary'] as const,
  devices: (query: QueryOf<'fleetDevices'>) => [...fleetKeys.all, 'devices', query] as const,
  software: (query: QueryOf<'fleetSoftware'>) => [...fleetKeys.all, 'software', query] as const,
};

/** The fleet by OS, health and finding. */
export function useFleetSummary() {
  return useQuery({
    queryKey: fleetKeys.summary(),
    queryFn: ({ signal }) => call('fleetSummary', { signal }),
  });
}

/** A page of devices by OS, finding, health or online state; nothing is asked while `query` is null. */
export function useFleetDevices(query: QueryOf<'fleetDevices'> | null) {
  return useQuery({
    queryKey: fleetKeys.devices(query ?? {}),
    queryFn: ({ signal }) => call('fleetDevices', { query: query ?? {}, signal }),
    enabled: query !== null,
    placeholderData: keepPreviousData,
  });
}

/** Devices with a package (within versions); nothing is asked while `query` is null. */
export function useFleetSoftware(query: QueryOf<'fleetSoftware'> | null) {
  return useQuery({
    queryKey: fleetKeys.software(query ?? { name: '' }),
    queryFn: ({ signal }) => call('fleetSoftware', { query: query ?? { name: '' }, signal }),
    enabled: query !== null,
    placeholderData: keepPreviousData,
  });
}
