import { z } from 'zod';
import { CATEGORY_LABEL_MAX, GROUP_DESCRIPTION_MAX, GROUP_NAME_MAX, MAX_GROUP_TIER } from '../admin-fields';
import { text } from '../text/text-schema';
import { endpointGroup } from './endpoint';
import { TICKET_CATEGORIES, ticketCategorySchema } from './tickets';

export { MAX_GROUP_TIER };

/*
 * Help-desk settings administrators change from the console: the registry of support groups (tiers)
 * that tickets and staff are assigned to, and the display label and availability of each ticket
 * category. The category set itself is fixed (TICKET_CATEGORIES): agents validate against it.
 */

const groupName = text().trim().min(1, 'must not be empty').max(GROUP_NAME_MAX);
const groupFields = {
  name: groupName,
  tier: z.number().int().min(1).max(MAX_GROUP_TIER),
  description: text().trim().max(GROUP_DESCRIPTION_MAX),
};

/** A support group as the API shows it. */
export const groupSchema = z.object({
  id: z.number(),
  name: z.string(),
  tier: z.number(),
  description: z.string(),
  /** Active staff members whose group is this one. */
  members: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type GroupDto = z.infer<typeof groupSchema>;

/** POST /api/v1/groups (admin). */
export const createGroupRequestSchema = z
  .object({ ...groupFields, tier: groupFields.tier.default(1), description: groupFields.description.default('') })
  .strict();
export type CreateGroupRequest = z.input<typeof createGroupRequestSchema>;

/** PATCH /api/v1/groups/:id (admin); renaming moves its staff members and tickets along. */
export const updateGroupRequestSchema = z
  .object(groupFields)
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'change at least one field');
export type UpdateGroupRequest = z.input<typeof updateGroupRequestSchema>;

export const groupListResponseSchema = z.object({ groups: z.array(groupSchema) });

/** How the console and (in time) agents present one ticket category. */
export const categorySettingSchema = z.object({
  category: ticketCategorySchema,
  label: z.string(),
  enabled: z.boolean(),
});
export type CategorySettingDto = z.infer<typeof categorySettingSchema>;

/** GET /api/v1/settings/categories: every category, in TICKET_CATEGORIES order. */
export const categorySettingsResponseSchema = z.object({ categories: z.array(categorySettingSchema) });

/** PUT /api/v1/settings/categories (admin): the listed categories change; the others stay as they are. */
export const putCategorySettingsRequestSchema = z
  .object({
    categories: z
      .array(
        z
          .object({
            category: ticketCategorySchema,
            label: text().trim().min(1, 'must not be empty').max(CATEGORY_LABEL_MAX),
            enabled: z.boolean(),
          })
          .strict(),
      )
      .min(1)
      .max(TICKET_CATEGORIES.length)
      .refine((list) => new Set(list.map((c) => c.category)).size === list.length, 'categories must not repeat'),
  })
  .strict();
export type PutCategorySettingsRequest = z.input<typeof putCategorySettingsRequestSchema>;

/** The label a category has until an administrator changes it. */
export function defaultCategoryLabel(category: string): string {
  return category.charAt(0).toUpperCase() + category.slice(1);
}

const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const settingsEndpoints = endpointGroup('settings', {
  listGroups: {
    summary: 'List support groups (tiers)',
    responses: { 200: groupListResponseSchema },
  },
  createGroup: {
    summary: 'Create a support group (admin)',
    body: createGroupRequestSchema,
    responses: { 201: groupSchema },
    errors: [409],
  },
  updateGroup: {
    summary: 'Change a support group (admin); a rename carries over to its staff and tickets',
    params: idParams,
    body: updateGroupRequestSchema,
    responses: { 200: groupSchema },
    errors: [404, 409],
  },
  deleteGroup: {
    summary: 'Delete a support group nobody is in (admin)',
    params: idParams,
    responses: { 204: z.null() },
    errors: [404, 409],
  },
  getCategories: {
    summary: 'Ticket categories with their labels and whether each is offered',
    responses: { 200: categorySettingsResponseSchema },
  },
  replaceCategories: {
    summary: 'Change the label or availability of ticket categories (admin); unlisted ones stay as they are',
    body: putCategorySettingsRequestSchema,
    responses: { 200: categorySettingsResponseSchema },
    errors: [422],
  },
});
