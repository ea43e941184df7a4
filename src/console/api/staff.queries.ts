import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { StaffRole, StaffUserDto } from '../../shared/api/auth';
import { pathOf } from '../../shared/api/endpoint-routes';
import { api } from './http';

/** A staff account as GET /staff lists it. */
export type StaffMember = StaffUserDto & { active: boolean };

export const staffKeys = {
  all: ['staff'] as const,
  list: () => [...staffKeys.all, 'list'] as const,
};

/** Every staff account (the assignee pickers of the queue and the ticket, the staff settings). */
export function useStaff() {
  return useQuery({
    queryKey: staffKeys.list(),
    queryFn: ({ signal }) => api.get<{ staff: StaffMember[] }>(pathOf('listStaff'), undefined, { signal }),
    select: (answer) => answer.staff,
  });
}

export interface NewStaff {
  name: string;
  email: string;
  role: StaffRole;
  group: string | null;
  password: string;
}

/** Adds a staff member; every picker lists them at once. */
export function useCreateStaff() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewStaff) => api.post<StaffMember>(pathOf('createStaff'), body),
    onSuccess: () => client.invalidateQueries({ queryKey: staffKeys.all }),
  });
}

/** Changes a staff member (role, group, active flag, password). */
export function useUpdateStaff() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: Record<string, unknown> }) =>
      api.patch<StaffMember>(pathOf('updateStaff', { id }), body),
    onSuccess: () => client.invalidateQueries({ queryKey: staffKeys.all }),
  });
}
