import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, type AnswerOf, type BodyOf } from './http';

/** A staff account as GET /staff lists it. */
export type StaffMember = AnswerOf<'listStaff'>['staff'][number];

export const staffKeys = {
  all: ['staff'] as const,
  list: () => [...staffKeys.all, 'list'] as const,
};

/** Every staff account (the assignee pickers of the queue and the ticket, the staff settings). */
export function useStaff() {
  return useQuery({
    queryKey: staffKeys.list(),
    queryFn: ({ signal }) => call('listStaff', { signal }),
    select: (answer) => answer.staff,
  });
}

/** Adds a staff member; every picker lists them at once. */
export function useCreateStaff() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<'createStaff'>) => call('createStaff', { body }),
    onSuccess: () => client.invalidateQueries({ queryKey: staffKeys.all }),
  });
}

/** Changes a staff member (role, group, active flag, password). */
export function useUpdateStaff() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: BodyOf<'updateStaff'> }) =>
      call('updateStaff', { params: { id }, body }),
    onSuccess: () => client.invalidateQueries({ queryKey: staffKeys.all }),
  });
}
