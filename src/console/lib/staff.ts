import type { StaffUserDto } from '../../shared/api/auth';
import type { GroupDto } from '../../shared/api/settings';
import { api } from '../api/http';

/** A staff account as GET /api/v1/staff lists it. */
export type StaffMember = StaffUserDto & { active: boolean };

let cached: Promise<StaffMember[]> | null = null;

/** The staff list, fetched once per page load (assignee pickers on the queue and ticket pages). */
export function loadStaff(): Promise<StaffMember[]> {
  cached ??= api.get<{ staff: StaffMember[] }>('/api/v1/staff').then(
    (answer) => answer.staff,
    (error: unknown) => {
      cached = null;
      throw error;
    },
  );
  return cached;
}

let groupsCached: Promise<GroupDto[]> | null = null;

/** The support groups/tiers IT registered (GET /api/v1/groups), fetched once per page load; offered as suggestions. */
export function loadGroups(): Promise<GroupDto[]> {
  groupsCached ??= api.get<{ groups: GroupDto[] }>('/api/v1/groups').then(
    (answer) => answer.groups,
    (error: unknown) => {
      groupsCached = null;
      throw error;
    },
  );
  return groupsCached;
}
