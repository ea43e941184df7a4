import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AnnouncementDto } from '../../shared/api/articles';
import { pathOf } from '../../shared/api/endpoint-routes';
import { api } from './http';

export const announcementKeys = {
  all: ['announcements'] as const,
  list: () => [...announcementKeys.all, 'list'] as const,
};

/** The latest announcements (up to 100), whatever their state. */
export function useAnnouncements() {
  return useQuery({
    queryKey: announcementKeys.list(),
    queryFn: ({ signal }) =>
      api.get<{ announcements: AnnouncementDto[] }>(pathOf('listAnnouncements'), { limit: 100 }, { signal }),
    select: (answer) => answer.announcements,
  });
}

type AnnouncementFields = Record<string, unknown>;

/** Composing, editing, publishing, ending and deleting; the list follows each. */
export function useAnnouncementMutations() {
  const client = useQueryClient();
  const onSuccess = () => void client.invalidateQueries({ queryKey: announcementKeys.all });
  return {
    create: useMutation({
      mutationFn: (body: AnnouncementFields) => api.post<AnnouncementDto>(pathOf('createAnnouncement'), body),
      onSuccess,
    }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: number; body: AnnouncementFields }) =>
        api.patch<AnnouncementDto>(pathOf('updateAnnouncement', { id }), body),
      onSuccess,
    }),
    setPublished: useMutation({
      mutationFn: ({ id, publish }: { id: number; publish: boolean }) =>
        api.post<AnnouncementDto>(pathOf(publish ? 'publishAnnouncement' : 'unpublishAnnouncement', { id })),
      onSuccess,
    }),
    remove: useMutation({
      mutationFn: (id: number) => api.delete(pathOf('deleteAnnouncement', { id })),
      onSuccess,
    }),
  };
}
