// The shape of a campaign as callers describe it, and its checks. Everything is validated
// before anything is written; every issue carries the path of the offending value.
import { z } from 'zod';
import { checkEmail } from '../contacts/email';
import type { ContactFilter } from '../contacts/contact-filter';

export const MAX_VARIANTS = 8;

const email = z.string().superRefine((v, ctx) => {
  const c = checkEmail(v);
  if (!c.ok) ctx.addIssue({ code: 'custom', message: c.message });
});
const address = z.object({ email, name: z.string().trim().max(120).nullish() });
const eventType = z.string().trim().min(1).max(64);

export const utmSchema = z
  .object({
    source: z.string().trim().min(1).max(100).nullish(),
    medium: z.string().trim().min(1).max(100).nullish(),
    campaign: z.string().trim().min(1).max(100).nullish(),
    term: z.string().trim().min(1).max(100).nullish(),
    content: z.string().trim().min(1).max(100).nullish(),
  })
  .strict();

export const audienceSchema = z
  .object({
    includePersonaIds: z.array(z.number().int().positive()).max(50).default([]),
    excludePersonaIds: z.array(z.number().int().positive()).max(50).default([]),
    /** A contact filter (core/contacts/contact-filter.ts); checked against the workspace's attributes separately. */
    filter: z.custom<ContactFilter>((v) => v === null || v === undefined || (typeof v === 'object' && !Array.isArray(v))).nullish(),
  })
  .strict();

export const scheduleSchema = z
  .object({
    mode: z.enum(['NOW', 'AT', 'STO']).default('NOW'),
    /** AT: when to send; STO: the start of the window (default: launch time). */
    sendAt: z.date().nullish(),
    /** STO: hours from the window start during which each contact gets their best hour. */
    windowHours: z.number().int().min(1).max(168).default(24),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.mode === 'AT' && !s.sendAt) ctx.addIssue({ code: 'custom', path: ['sendAt'], message: 'required when mode is AT' });
    if (s.mode === 'NOW' && s.sendAt) ctx.addIssue({ code: 'custom', path: ['sendAt'], message: 'only for AT and STO' });
  });

export const variantSchema = z
  .object({
    name: z.string().trim().min(1).max(64).nullish(),
    templateId: z.number().int().positive(),
    /** Overrides the template's subject (Liquid). */
    subject: z.string().trim().min(1).max(998).nullish(),
    fromName: z.string().trim().min(1).max(120).nullish(),
  })
  .strict();

export const abTestSchema = z
  .object({
    /** Share of the audience that receives the variants first (the rest waits for the winner). */
    testFraction: z.number().gt(0).max(1),
    metric: z.enum(['OPEN', 'CLICK', 'CONVERSION', 'REVENUE']),
    /** How long after the test group was launched the winner is chosen. */
    windowMinutes: z.number().int().min(1).max(60 * 24 * 14),
    fallback: z.enum(['CONTROL', 'LEADER']).default('CONTROL'),
  })
  .strict();

export const triggerSchema = z
  .object({
    /** EVENT: a tracked event enrols the contact. LIFECYCLE: the contact's profile reaches a lifecycle stage. */
    kind: z.enum(['EVENT', 'LIFECYCLE']),
    eventType: eventType.nullish(),
    lifecycleStage: z.enum(['NEW', 'ACTIVE', 'AT_RISK', 'LAPSED']).nullish(),
    /** Wait this long after entry; the message goes only if the exit event has not happened by then. */
    delayMinutes: z.number().int().min(0).max(60 * 24 * 90).default(0),
    exitEventType: eventType.nullish(),
    reentry: z
      .object({ mode: z.enum(['ONCE', 'EVERY_N_DAYS']), days: z.number().int().min(1).max(3650).nullish() })
      .strict()
      .superRefine((r, ctx) => {
        if (r.mode === 'EVERY_N_DAYS' && !r.days) ctx.addIssue({ code: 'custom', path: ['days'], message: 'required for EVERY_N_DAYS' });
      })
      .default({ mode: 'ONCE' }),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.kind === 'EVENT' && !t.eventType) ctx.addIssue({ code: 'custom', path: ['eventType'], message: 'required for an EVENT trigger' });
    if (t.kind === 'LIFECYCLE' && !t.lifecycleStage) ctx.addIssue({ code: 'custom', path: ['lifecycleStage'], message: 'required for a LIFECYCLE trigger' });
  });

export const campaignInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    type: z.enum(['BROADCAST', 'TRIGGERED']).default('BROADCAST'),
    category: z.enum(['MARKETING', 'TRANSACTIONAL']).default('MARKETING'),
    from: address,
    replyTo: address.nullish(),
    /** The email provider configuration; null: the workspace default, else the outbox. */
    integrationId: z.number().int().positive().nullish(),
    audience: audienceSchema.nullish(),
    utm: utmSchema.nullish(),
    schedule: scheduleSchema.default({ mode: 'NOW', windowHours: 24 }),
    throttlePerMinute: z.number().int().min(1).max(1_000_000).nullish(),
    variants: z.array(variantSchema).min(1).max(MAX_VARIANTS),
    abTest: abTestSchema.nullish(),
    trigger: triggerSchema.nullish(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.type === 'TRIGGERED') {
      if (!c.trigger) ctx.addIssue({ code: 'custom', path: ['trigger'], message: 'a TRIGGERED campaign needs a trigger' });
      if (c.abTest) ctx.addIssue({ code: 'custom', path: ['abTest'], message: 'A/B tests apply to broadcasts only' });
      if (c.variants.length > 1) ctx.addIssue({ code: 'custom', path: ['variants'], message: 'a triggered campaign has one variant' });
      if (c.schedule.mode !== 'NOW') ctx.addIssue({ code: 'custom', path: ['schedule', 'mode'], message: 'triggered campaigns send when their trigger fires' });
    } else {
      if (c.trigger) ctx.addIssue({ code: 'custom', path: ['trigger'], message: 'only TRIGGERED campaigns take a trigger' });
      if (c.variants.length > 1 && !c.abTest) ctx.addIssue({ code: 'custom', path: ['abTest'], message: 'several variants need an A/B test configuration' });
      if (c.abTest && c.variants.length < 2) ctx.addIssue({ code: 'custom', path: ['variants'], message: 'an A/B test needs at least two variants' });
    }
    const inc = new Set(c.audience?.includePersonaIds ?? []);
    (c.audience?.excludePersonaIds ?? []).forEach((id, i) => {
      if (inc.has(id)) ctx.addIssue({ code: 'custom', path: ['audience', 'excludePersonaIds', i], message: 'a persona cannot be both included and excluded' });
    });
  });

export type CampaignInput = z.input<typeof campaignInputSchema>;
export type CampaignSpec = z.output<typeof campaignInputSchema>;
export type AudienceSpec = z.output<typeof audienceSchema>;
export type TriggerSpec = z.output<typeof triggerSchema>;
export type UtmSpec = z.output<typeof utmSchema>;
export type AbTestSpec = z.output<typeof abTestSchema>;
