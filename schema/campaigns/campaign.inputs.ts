// GraphQL input types of campaigns and their conversion to core's CampaignInput. Global IDs
// are decoded here (a bad ID is a BAD_USER_INPUT at its path); everything else is checked
// by core (core/campaigns/campaign-input.ts) so the rules live in one place.
import { builder } from '../builder';
import { numericId } from '../common/global-id';
import { ContactFilterInput } from '../contacts/contact-filter.input';
import { ValidationError, type Issue } from '../../core/errors';
import type { CampaignInput } from '../../core/campaigns/campaign-input';

export const CampaignTypeEnum = builder.enumType('CampaignType', {
  values: { BROADCAST: { description: 'Sent once to an audience snapshotted at launch.' }, TRIGGERED: { description: 'Sent to each contact its trigger enrols.' } },
});
export const CampaignCategoryEnum = builder.enumType('CampaignCategory', {
  values: {
    MARKETING: { description: 'Needs consent; respects frequency caps and quiet hours.' },
    TRANSACTIONAL: { description: 'Exempt from consent, frequency caps and quiet hours; bounces and complaints still stop it.' },
  },
});
export const SendModeEnum = builder.enumType('SendMode', {
  values: {
    NOW: { description: 'As soon as it is launched.' },
    AT: { description: 'At `sendAt`.' },
    STO: { description: 'Send-time optimisation: each contact at their best local hour within the window.' },
  },
});
export const AbMetricEnum = builder.enumType('AbMetric', { values: ['OPEN', 'CLICK', 'CONVERSION', 'REVENUE'] as const });
export const AbFallbackEnum = builder.enumType('AbFallback', {
  values: { CONTROL: { description: 'The first variant.' }, LEADER: { description: 'The best observed variant, significant or not.' } },
});
export const TriggerKindEnum = builder.enumType('TriggerKind', {
  values: { EVENT: { description: 'A tracked event (e.g. add_to_cart, signup) enrols the contact.' }, LIFECYCLE: { description: 'The contact reaches a lifecycle stage (e.g. LAPSED).' } },
});
export const ReentryModeEnum = builder.enumType('ReentryMode', {
  values: { ONCE: { description: 'A contact enters at most once.' }, EVERY_N_DAYS: { description: 'At most once every `days` days.' } },
});
export const LifecycleStageInputEnum = builder.enumType('TriggerLifecycleStage', { values: ['NEW', 'ACTIVE', 'AT_RISK', 'LAPSED'] as const });

const AddressInput = builder.inputType('EmailAddressInput', {
  fields: (t) => ({ email: t.string({ required: true }), name: t.string() }),
});

const AudienceInput = builder.inputType('CampaignAudienceInput', {
  description: 'Contacts in any included persona (or every contact when none is given), matching the filter, in no excluded persona. Contacts without consent (marketing) or on the suppression list are left out at launch.',
  fields: (t) => ({
    includePersonaIds: t.idList(),
    excludePersonaIds: t.idList(),
    filter: t.field({ type: ContactFilterInput }),
  }),
});

const UtmInput = builder.inputType('UtmInput', {
  description: 'Added as utm_* query parameters to every http(s) link that does not set them already.',
  fields: (t) => ({ source: t.string(), medium: t.string(), campaign: t.string(), term: t.string(), content: t.string() }),
});

const ScheduleInput = builder.inputType('CampaignScheduleInput', {
  fields: (t) => ({
    mode: t.field({ type: SendModeEnum, required: true, defaultValue: 'NOW' }),
    sendAt: t.field({ type: 'DateTime', description: 'AT: when to send. STO: the start of the window (default: launch).' }),
    windowHours: t.int({ description: 'STO: the window length in hours (1–168, default 24).' }),
  }),
});

const VariantInput = builder.inputType('CampaignVariantInput', {
  fields: (t) => ({
    name: t.string({ description: 'Default A, B, C…' }),
    templateId: t.id({ required: true }),
    subject: t.string({ description: 'Overrides the template subject (Liquid).' }),
    fromName: t.string(),
  }),
});

const AbTestInput = builder.inputType('AbTestInput', {
  fields: (t) => ({
    testFraction: t.float({ required: true, description: 'Share of the audience (0–1] that gets the variants first.' }),
    metric: t.field({ type: AbMetricEnum, required: true }),
    windowMinutes: t.int({ required: true, description: 'How long after the test send the winner is chosen.' }),
    fallback: t.field({ type: AbFallbackEnum, description: 'When no variant wins at 95 % (default CONTROL).' }),
  }),
});

const ReentryInput = builder.inputType('TriggerReentryInput', {
  fields: (t) => ({ mode: t.field({ type: ReentryModeEnum, required: true }), days: t.int() }),
});

const TriggerInput = builder.inputType('CampaignTriggerInput', {
  description: 'Cart abandonment: { kind: EVENT, eventType: "add_to_cart", delayMinutes: 60, exitEventType: "purchase" }. Welcome: { kind: EVENT, eventType: "signup" }. Win-back: { kind: LIFECYCLE, lifecycleStage: LAPSED }.',
  fields: (t) => ({
    kind: t.field({ type: TriggerKindEnum, required: true }),
    eventType: t.string(),
    lifecycleStage: t.field({ type: LifecycleStageInputEnum }),
    delayMinutes: t.int({ description: 'Wait after entry (default 0).' }),
    exitEventType: t.string({ description: 'If this event happens between entry and the end of the delay, no email.' }),
    reentry: t.field({ type: ReentryInput, description: 'Default ONCE.' }),
  }),
});

export const CampaignInputType = builder.inputType('CampaignInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    type: t.field({ type: CampaignTypeEnum }),
    category: t.field({ type: CampaignCategoryEnum }),
    from: t.field({ type: AddressInput, required: true }),
    replyTo: t.field({ type: AddressInput }),
    integrationId: t.id({ description: 'The email provider configuration; default: the workspace default, else the outbox.' }),
    audience: t.field({ type: AudienceInput }),
    utm: t.field({ type: UtmInput }),
    schedule: t.field({ type: ScheduleInput }),
    throttlePerMinute: t.int(),
    variants: t.field({ type: [VariantInput], required: true }),
    abTest: t.field({ type: AbTestInput }),
    trigger: t.field({ type: TriggerInput }),
  }),
});

export const AudienceInputType = AudienceInput;

const drop = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;

/** Decodes IDs; every malformed ID is reported at once. */
export function toCampaignInput(input: typeof CampaignInputType.$inferInput, path: (string | number)[]): CampaignInput {
  const issues: Issue[] = [];
  const id = (value: string | number, typename: string, at: (string | number)[]) => {
    try {
      return numericId(String(value), typename, at);
    } catch (err) {
      if (err instanceof ValidationError) issues.push(...(err.issues ?? []));
      return 0;
    }
  };
  const out: CampaignInput = drop({
    name: input.name,
    type: input.type ?? undefined,
    category: input.category ?? undefined,
    from: drop({ email: input.from.email, name: input.from.name }),
    replyTo: input.replyTo ? drop({ email: input.replyTo.email, name: input.replyTo.name }) : undefined,
    integrationId: input.integrationId ? id(input.integrationId, 'Integration', [...path, 'integrationId']) : undefined,
    audience: input.audience ? drop({
      includePersonaIds: input.audience.includePersonaIds?.map((p, i) => id(p, 'Persona', [...path, 'audience', 'includePersonaIds', i])),
      excludePersonaIds: input.audience.excludePersonaIds?.map((p, i) => id(p, 'Persona', [...path, 'audience', 'excludePersonaIds', i])),
      filter: input.audience.filter ?? undefined,
    }) : undefined,
    utm: input.utm ? drop({ ...input.utm }) : undefined,
    schedule: input.schedule ? drop({ mode: input.schedule.mode, sendAt: input.schedule.sendAt, windowHours: input.schedule.windowHours }) : undefined,
    throttlePerMinute: input.throttlePerMinute ?? undefined,
    variants: input.variants.map((v, i) => drop({ name: v.name, templateId: id(v.templateId, 'Template', [...path, 'variants', i, 'templateId']), subject: v.subject, fromName: v.fromName })),
    abTest: input.abTest ? drop({ ...input.abTest }) : undefined,
    trigger: input.trigger ? drop({ ...input.trigger, reentry: input.trigger.reentry ? drop({ ...input.trigger.reentry }) : undefined }) : undefined,
  }) as CampaignInput;
  if (issues.length) throw new ValidationError('invalid IDs', issues);
  return out;
}
