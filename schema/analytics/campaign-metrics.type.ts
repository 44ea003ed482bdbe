// Campaign figures from the rollups: Campaign.metrics (totals with variant and persona
// breakdowns), Campaign.metricsTimeline and Campaign.topLinks. Every field loads through
// metrics-loaders.ts, so a page of campaigns costs one statement per field whatever its size.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { RowDataPacket } from 'mysql2/promise';
import { builder } from '../builder';
import { CampaignRef, CampaignVariantRef } from '../campaigns/campaign.type';
import { PersonaRef } from '../personas/persona.type';
import { MetricsRef } from './metrics.interface';
import { requestLoader } from './metrics-loaders';
import { campaignMetrics, type CampaignMetricsParent } from './campaign-figures';
import { assertDateRange } from '../../core/analytics/date-range';
import { numericId } from '../common/global-id';
import { campaignTimelines, topLinks, type LinkStats, type PersonaStats, type VariantStats } from '../../core/analytics/campaign-stats';
import type { StatsBucket } from '../../core/analytics/time-buckets';
import type { WorkspaceContext } from '../../core/context';

const gid = (type: string, id: number) => encodeGlobalID(type, String(id));

/** Rows by id of the caller's workspace (for re-reading campaigns, variants and personas). */
function rowsById<T extends { id: number }>(find: (wctx: WorkspaceContext, ids: number[]) => Promise<T[]>) {
  return async (wctx: WorkspaceContext, ids: readonly number[]) => new Map((await find(wctx, [...ids])).map((r) => [r.id, r]));
}
const campaignRows = rowsById((w, ids) => w.db.prisma.campaign.findMany({ where: { id: { in: ids }, workspaceId: w.workspaceId } }));
const variantRows = rowsById((w, ids) => w.db.prisma.campaignVariant.findMany({ where: { id: { in: ids }, workspaceId: w.workspaceId } }));
const personaRows = rowsById((w, ids) => w.db.prisma.persona.findMany({ where: { id: { in: ids }, workspaceId: w.workspaceId } }));

export const BucketSizeEnum = builder.enumType('MetricsBucketSize', {
  values: { HOUR: { description: 'Hours (UTC instants).' }, DAY: { description: 'Days in the workspace time zone.' } },
});

export const VariantMetricsRef = builder.objectRef<VariantStats>('VariantMetrics').implement({
  interfaces: [MetricsRef],
  isTypeOf: (v) => typeof v === 'object' && v !== null && 'variantId' in v,
  fields: (t) => ({
    variantId: t.id({ resolve: (v) => gid('CampaignVariant', v.variantId) }),
    name: t.exposeString('name'),
    position: t.exposeInt('position'),
    variant: t.field({ type: CampaignVariantRef, nullable: true, resolve: (v, _a, ctx) => requestLoader(ctx, 'variantRow', variantRows).load(v.variantId) }),
  }),
});

export const PersonaMetricsRef = builder.objectRef<PersonaStats>('PersonaMetrics').implement({
  description: 'Figures of the recipients who were in a persona when the campaign reached them (a recipient may count under several personas).',
  interfaces: [MetricsRef],
  isTypeOf: (v) => typeof v === 'object' && v !== null && 'personaId' in v,
  fields: (t) => ({
    personaId: t.id({ resolve: (p) => gid('Persona', p.personaId) }),
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    persona: t.field({ type: PersonaRef, nullable: true, resolve: (p, _a, ctx) => requestLoader(ctx, 'personaRow', personaRows).load(p.personaId) }),
  }),
});

export const MetricsBucketRef = builder.objectRef<StatsBucket>('MetricsBucket').implement({
  interfaces: [MetricsRef],
  isTypeOf: (v) => typeof v === 'object' && v !== null && 'start' in v,
  fields: (t) => ({ start: t.expose('start', { type: 'DateTime', description: 'Start of the hour or local day.' }) }),
});

export const LinkMetricsRef = builder.objectRef<LinkStats>('LinkMetrics').implement({
  fields: (t) => ({
    url: t.exposeString('url'),
    clicks: t.exposeInt('clicks', { description: 'Human clicks.' }),
    uniqueClicks: t.exposeInt('uniqueClicks', { description: 'Recipients who clicked it.' }),
  }),
});

export const CampaignMetricsRef = builder.objectRef<CampaignMetricsParent>('CampaignMetrics').implement({
  description: 'A campaign\'s figures, kept incrementally as messages go out and events arrive.',
  interfaces: [MetricsRef],
  isTypeOf: (v) => typeof v === 'object' && v !== null && 'updatedAt' in v && 'variants' in v,
  fields: (t) => ({
    campaignId: t.id({ resolve: (m) => gid('Campaign', m.campaignId) }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true, description: 'When a counter last changed.' }),
    campaign: t.field({ type: CampaignRef, nullable: true, resolve: (m, _a, ctx) => requestLoader(ctx, 'campaignRow', campaignRows).load(m.campaignId) }),
    variants: t.field({
      type: [VariantMetricsRef],
      description: 'Each variant, in position order (the held A/B remainder counts under none until the winner is chosen).',
      resolve: (m) => m.variants,
    }),
    personas: t.field({
      type: [PersonaMetricsRef],
      description: 'Personas of the recipients, largest first.',
      args: { limit: t.arg.int({ required: true, defaultValue: 20 }) },
      resolve: (m, { limit }) => m.personas.slice(0, Math.max(0, limit)),
    }),
  }),
});

async function timezones(wctx: WorkspaceContext, ids: readonly number[]): Promise<Map<number, string>> {
  const [rows] = await wctx.db.sql.query<RowDataPacket[]>('SELECT id, timezone FROM workspaces WHERE id IN (?)', [[...ids]]);
  return new Map(rows.map((r) => [r.id as number, r.timezone as string]));
}

builder.prismaObjectFields('Campaign', (t) => ({
  metrics: t.field({
    type: CampaignMetricsRef,
    description: 'Figures from the analytics rollups (docs/metrics.md).',
    resolve: (c, _a, ctx) => campaignMetrics(ctx, c.id, { kind: 'request' }),
  }),
  metricsTimeline: t.field({
    type: [MetricsBucketRef],
    description:
      'Figures per hour or per day (buckets where something happened), within [from, to) when given; of one variant and/or one persona when given (a persona counts the messages sent to its members, as in CampaignMetrics.personas).',
    args: {
      bucket: t.arg({ type: BucketSizeEnum, required: true, defaultValue: 'HOUR' }),
      from: t.arg({ type: 'DateTime' }),
      to: t.arg({ type: 'DateTime' }),
      variantId: t.arg.id({ description: 'Only this variant (a variant of another campaign gives no buckets).' }),
      personaId: t.arg.id({ description: 'Only messages sent to this persona\'s members.' }),
    },
    resolve: async (c, args, ctx) => {
      assertDateRange(args.from, args.to);
      const variantId = args.variantId ? numericId(String(args.variantId), 'CampaignVariant', ['variantId']) : null;
      const personaId = args.personaId ? numericId(String(args.personaId), 'Persona', ['personaId']) : null;
      const tz = (await requestLoader(ctx, 'timezone', timezones).load(c.workspaceId)) ?? 'UTC';
      const name = `timeline:${args.bucket}:${args.from?.toISOString() ?? ''}:${args.to?.toISOString() ?? ''}:${tz}:${variantId ?? ''}:${personaId ?? ''}`;
      return requestLoader(ctx, name, (w, ids) => campaignTimelines(w, ids, { bucket: args.bucket, from: args.from, to: args.to, timezone: tz, variantId, personaId })).load(c.id);
    },
  }),
  topLinks: t.field({
    type: [LinkMetricsRef],
    description: 'The most clicked links (human clicks).',
    args: { limit: t.arg.int({ required: true, defaultValue: 10 }) },
    resolve: (c, { limit }, ctx) => {
      const n = Math.max(1, Math.min(100, limit));
      return requestLoader(ctx, `topLinks:${n}`, (w, ids) => topLinks(w, ids, n)).load(c.id);
    },
  }),
}));
