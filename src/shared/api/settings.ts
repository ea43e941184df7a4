import { z } from 'zod';
import { text } from '../text/text-schema';
import { TICKET_CATEGORIES, ticketCategorySchema } from './tickets';

/*
 * Help-desk settings administrators change from the console: the registry of support groups (tiers)
 * that tickets and staff are assigned to, and the display label and availability of each ticket
 * category. The category set itself is fixed (TICKET_CATEGORIES): agents validate against it.
 */

/** Highest support tier: 1 = first line, 2 = second line, 3 = specialists, … */
export const MAX_GROUP_TIER = 9;

const groupName = text().trim().min(1, 'must not be empty').max(64);
const groupFields = {
  name: groupName,
  tier: z.number().int().min(1).max(MAX_GROUP_TIER),
  description: text().trim().max(500),
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
            label: text().trim().min(1, 'must not be empty').max(64),
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
