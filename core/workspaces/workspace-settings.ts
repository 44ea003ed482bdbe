import { z } from 'zod';

/**
 * Workspace policies, stored as JSON on the workspace. Every field has a default so an
 * empty object is a complete policy.
 */
export const workspaceSettingsSchema = z.object({
  frequencyCap: z
    .object({
      /** Marketing emails per contact within `windowDays`. */
      maxMessages: z.number().int().min(1).max(1000).default(4),
      windowDays: z.number().int().min(1).max(365).default(30),
      /** Minimum hours between two marketing emails to one contact. */
      minHoursBetween: z.number().min(0).max(24 * 30).default(16),
    })
    .prefault({}),
  /** Local hours during which nothing is sent (e.g. 21 → 8). Null: no quiet hours. */
  quietHours: z
    .object({ startHour: z.number().int().min(0).max(23), endHour: z.number().int().min(0).max(23) })
    .nullable()
    .default(null),
  /** Fallback send hour (local) when neither the contact nor their persona has a preferred hour. */
  defaultSendHour: z.number().int().min(0).max(23).default(10),
  /** A conversion is this event within `conversionWindowDays` of a click. */
  conversionEvent: z.string().min(1).max(64).default('purchase'),
  conversionWindowDays: z.number().int().min(1).max(90).default(5),
});

export type WorkspaceSettings = z.output<typeof workspaceSettingsSchema>;
export type WorkspaceSettingsInput = z.input<typeof workspaceSettingsSchema>;

/** Reads stored settings, filling defaults (unknown keys are dropped). */
export function parseWorkspaceSettings(stored: unknown): WorkspaceSettings {
  const parsed = workspaceSettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : workspaceSettingsSchema.parse({});
}
