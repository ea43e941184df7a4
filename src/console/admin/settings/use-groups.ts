import type { GroupDto } from '../../../shared/api/settings';
import { api } from '../common/api';
import { useLoad, type Loaded } from '../common/use-load';

/** The registered support groups, for pickers. */
export function useGroups(): Loaded<{ groups: GroupDto[] }> {
  return useLoad((signal) => api.get<{ groups: GroupDto[] }>('/api/v1/groups', undefined, { signal }), []);
}
