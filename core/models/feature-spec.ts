// Which features a model uses. The spec is decided once at training time and stored with the
// model version, so scoring later computes exactly the same columns in the same order
// (train/serve parity), whatever has changed in the workspace since.
import type { WorkspaceContext } from '../context';
import { ValidationError, type Issue } from '../errors';
import { hasMessageEvents, targetSignal } from './activity-sources';
import type { ModelTargetRecord } from './model-targets';
import type { PropertyFilter } from './property-filters';

export interface AttributeFeature {
  key: string;
  type: 'NUMBER' | 'BOOLEAN' | 'ENUM' | 'DATE';
  /** ENUM: one column per value (one-hot), in this order. */
  values?: string[];
}

export interface FeatureSpec {
  version: 1;
  /** Behaviour older than this (before the cutoff) is ignored. */
  lookbackDays: number;
  /** Email engagement columns from message_events (present when the table existed at training). */
  engagement: boolean;
  /** EVENT targets: counts and recency of the target's own event, filters applied. */
  targetEvent: { type: string; filters: PropertyFilter[] } | null;
  attributes: AttributeFeature[];
}

export const DEFAULT_LOOKBACK_DAYS = 365;
export const MAX_ATTRIBUTE_FEATURES = 20;

const BEHAVIOUR = [
  'recency_days', 'tenure_days', 'has_activity', 'events_7d', 'events_30d', 'events_90d', 'events_total',
  'active_days_30d', 'active_days_90d', 'event_types', 'purchases_30d', 'purchases_90d', 'purchases_total',
  'purchase_recency_days', 'revenue_90d', 'revenue_total', 'avg_order_value',
] as const;
const ENGAGEMENT = ['opens_30d', 'opens_total', 'clicks_30d', 'clicks_total', 'open_recency_days'] as const;
const TARGET_EVENT = ['target_events_30d', 'target_events_90d', 'target_events_total', 'target_recency_days'] as const;

/** Column names in matrix order. */
export function featureNames(spec: FeatureSpec): string[] {
  const names: string[] = [...BEHAVIOUR];
  if (spec.engagement) names.push(...ENGAGEMENT);
  if (spec.targetEvent) names.push(...TARGET_EVENT);
  for (const a of spec.attributes) {
    if (a.type === 'ENUM') names.push(...(a.values ?? []).map((v) => `attr_${a.key}=${v}`));
    else names.push(`attr_${a.key}`, ...(a.type === 'BOOLEAN' ? [] : [`attr_${a.key}_missing`]));
  }
  return names;
}

/**
 * Builds the spec for a target: behaviour features always, engagement when message_events
 * exists, the target's own event for EVENT targets, and the attributes the caller opted into.
 * Attributes have no history (only their current value), so they are opt-in: an attribute
 * that was set because of what happened after the cutoff would leak the label.
 */
export async function buildFeatureSpec(ctx: WorkspaceContext, args: { target: ModelTargetRecord; attributes?: string[] | null; lookbackDays?: number }): Promise<FeatureSpec> {
  const keys = [...new Set(args.attributes ?? [])];
  if (keys.length > MAX_ATTRIBUTE_FEATURES) throw ValidationError.at(['attributes'], `at most ${MAX_ATTRIBUTE_FEATURES} attributes`);
  const defs = keys.length ? await ctx.db.prisma.attributeDefinition.findMany({ where: { workspaceId: ctx.workspaceId, key: { in: keys } } }) : [];
  const issues: Issue[] = [];
  const attributes: AttributeFeature[] = [];
  keys.forEach((key, i) => {
    const def = defs.find((d) => d.key === key);
    if (!def) return issues.push({ path: ['attributes', i], message: `attribute "${key}" is not defined` });
    if (def.type === 'STRING') return issues.push({ path: ['attributes', i], message: `attribute "${key}" is free text; only NUMBER, BOOLEAN, ENUM and DATE attributes can be features` });
    const values = def.type === 'ENUM' ? ((def.enumValues as string[] | null) ?? []) : undefined;
    attributes.push({ key, type: def.type, ...(values ? { values } : {}) });
  });
  if (issues.length) throw new ValidationError('invalid attribute features', issues);
  const signal = targetSignal(args.target);
  return {
    version: 1,
    lookbackDays: args.lookbackDays ?? DEFAULT_LOOKBACK_DAYS,
    engagement: await hasMessageEvents(ctx),
    targetEvent: args.target.kind === 'EVENT' && signal ? { type: signal.type, filters: signal.filters } : null,
    attributes,
  };
}

const LOG_SCALED = /^(recency_days|tenure_days|events_|active_days_|event_types|purchases_|purchase_recency_days|revenue_|avg_order_value|opens_|clicks_|open_recency_days|target_)/;

/** A matrix value back in natural units: counts, days and money are stored as log1p. */
export function displayValue(feature: string, encoded: number): number {
  return LOG_SCALED.test(feature) ? Math.expm1(encoded) : encoded;
}
