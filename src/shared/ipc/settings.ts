import { z } from 'zod';
import { SECTION_NAMES } from '../snapshot/section-names';
import { text } from '../text/text-schema';

/*
 * The employee's own settings, as stored and as IPC carries them (contract.ts re-exports these). Their own
 * module so the headless daemon, which reads settings but serves no IPC, does not build the whole contract.
 */

export const privacySettingsSchema = z.object({
  /** Hash serials and MACs, drop user names (snapshot --redact). */
  redact: z.boolean(),
  /** Sections never sent, whatever the form says. */
  excludedSections: z.array(z.enum(SECTION_NAMES)).max(SECTION_NAMES.length),
  /** Offer the screenshot option on the Get help form. */
  allowScreenshots: z.boolean(),
});

export const userSettingsSchema = z.object({
  serverUrl: text().max(2048).nullable(),
  startAtLogin: z.boolean(),
  notifications: z.boolean(),
  privacy: privacySettingsSchema,
});
export type UserSettings = z.infer<typeof userSettingsSchema>;
