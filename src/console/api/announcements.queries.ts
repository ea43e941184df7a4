import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, type BodyOf } from './http';

export const announcementKeys = {
  all: ['announcements'] as const,
  list: () => [...announcementKeys.all, 'list'] as const,
};

/** The latest announcements (up to 100), whatever their state. */
export function useAnnouncements() {
  return useQuery({
    queryKey: announcementKeys.list(),
    queryFn: ({ signal }) => call('listAnnouncements', { query: { limit: 100 }, signal }),
    select: (answer) => answer.announcements,
  });
}

/** Composing, editing, publishing, ending and deleting; the list follows each. */
export function useAnnouncementMutations() {
  const client = useQueryClient();
  const onSuccess = () => void client.invalidateQueries({ queryKey: announcementKeys.all });
  return {
    create: useMutation({
      mutationFn: (body: BodyOf<'createAnnouncement'>) => call('createAnnouncement', { body }),
      onSuccess,
    }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: number; body: BodyOf<'updateAnnouncement'> }) =>
        call('updateAnnouncement', { params: { id }, body }),
      onSuccess,
    }),
    setPublished: useMutation({
      mutationFn: ({ id, publish }: { id: number; publish: boolean }) =>
        call(publish ? 'publishAnnouncement' : 'unpublishAnnouncement', { params: { id } }),
      onSuccess,
    }),
    remove: useMutation({
      mutationFn: (id: number) => call('deleteAnnouncement', { params: { id } }),
      onSuccess,
    }),
  };
}
