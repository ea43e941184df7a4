import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ItCatalogDto, ItPackageDto, ItScriptDto, ItServiceDto } from '../../shared/api/it-actions';
import { call, type BodyOf } from './http';

/*
 * IT's part of the action catalog (issue 12): the service and package allow-lists and the IT scripts.
 * The technician's Run on device form reads them; the admin's settings tabs change them, and each save
 * invalidates the catalog so the form offers the change at once.
 */

export type { ItCatalogDto, ItPackageDto, ItScriptDto, ItServiceDto };

export const itKeys = { catalog: ['it', 'catalog'] as const };

/** The allow-lists and scripts. */
export function useItCatalog() {
  return useQuery({
    queryKey: itKeys.catalog,
    queryFn: ({ signal }) => call('getItCatalog', { signal }),
  });
}

/** Saves or removes allow-list entries and scripts (admins); the catalog reads again. */
export function useItMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: itKeys.catalog });
  return {
    saveService: useMutation({
      mutationFn: ({ id, body }: { id: string; body: BodyOf<'putItService'> }) =>
        call('putItService', { params: { id }, body }),
      onSuccess,
    }),
    removeService: useMutation({ mutationFn: (id: string) => call('deleteItService', { params: { id } }), onSuccess }),
    savePackage: useMutation({
      mutationFn: ({ id, body }: { id: string; body: BodyOf<'putItPackage'> }) =>
        call('putItPackage', { params: { id }, body }),
      onSuccess,
    }),
    removePackage: useMutation({ mutationFn: (id: string) => call('deleteItPackage', { params: { id } }), onSuccess }),
    saveScript: useMutation({
      mutationFn: ({ slug, body }: { slug: string; body: BodyOf<'putItScript'> }) =>
        call('putItScript', { params: { slug }, body }),
      onSuccess,
    }),
    removeScript: useMutation({
      mutationFn: (slug: string) => call('deleteItScript', { params: { slug } }),
      onSuccess,
    }),
  };
}
