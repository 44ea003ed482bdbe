// The Campaign type (with its variants, stats and A/B results) and the campaign queries.
// Stats, templates and A/B counts are batched (dataloaders), so a page of campaigns costs a
// constant number of statements.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder';
import { ws } from '../context';
import { numericId } from '../common/global-id';
import { TemplateRef, TemplateVersionRef } from '../templates/template.type';
import { NotFoundError } from '../../core/errors';
import { messageStates } from '../../core/campaigns/campaign-stats';
import { campaignMetrics } from '../analytics/campaign-figures';
import { deliveredOf } from '../../core/analytics/metric-definitions';
import { requestLoader } from '../analytics/metrics-loaders';
import type { GraphQLContext } from '../context';
import { abCounts } from '../../core/campaigns/ab-decision';
import { decideAbTest, variantResults, type AbDecision, type AbMetric, type VariantResult } from '../../core/campaigns/ab-statistics';
import { AbFallbackEnum, AbMetricEnum, CampaignCategoryEnum, CampaignTypeEnum, SendModeEnum } from './campaign.inputs';

export const CampaignStatusEnum = builder.enumType('CampaignStatus', {
  values: {
    DRAFT: { description: 'Editable; nothing snapshotted.' },
    SCHEDULED: { description: 'Launched; recipients snapshotted; the first send time is in the future.' },
    SENDING: { description: 'Messages are going out.' },
    ACTIVE: { description: 'A live triggered campaign.' },
    PAUSED: { description: 'Stopped until resumed; see pauseReason.' },
    SENT: { description: 'Every recipient has an outcome.' },
    CANCELLED: { description: 'Stopped for good; waiting messages were cancelled.' },
  },
});

const AddressRef = builder.objectRef<{ email: string; name: string | null }>('EmailAddress').implement({
  fields: (t) => ({ email: t.exposeString('email'), name: t.exposeString('name', { nullable: true }) }),
});

const ScheduleRef = builder.objectRef<{ mode: 'NOW' | 'AT' | 'STO'; sendAt: Date | null; windowHours: number }>('CampaignSchedule').implement({
  fields: (t) => ({
    mode: t.expose('mode', { type: SendModeEnum }),
    sendAt: t.expose('sendAt', { type: 'DateTime', nullable: true }),
    windowHours: t.exposeInt('windowHours'),
  }),
});

const SnapshotRef = builder.objectRef<{ matched: number; noEmail: number; notConsenting: number; suppressed: number }>('AudienceSnapshot').implement({
  description: 'The audience at launch, and who was left out of it and why.',
  fields: (t) => ({
    matched: t.exposeInt('matched', { description: 'Contacts the audience selected.' }),
    noEmail: t.exposeInt('noEmail'),
    notConsenting: t.exposeInt('notConsenting'),
    suppressed: t.exposeInt('suppressed'),
  }),
});

const CountRef = builder.objectRef<{ key: string; count: number }>('KeyCount').implement({
  fields: (t) => ({ key: t.exposeString('key'), count: t.exposeInt('count') }),
});

/** Campaign.stats: the campaign's id; each group of fields loads what it needs, batched per request. */
interface StatsParent {
  campaignId: number;
}

const statesOf = (p: StatsParent, ctx: GraphQLContext) => requestLoader(ctx, 'messageStates', messageStates).load(p.campaignId);
// The same load as Campaign.metrics: asking for both reads the figures once.
const countsOf = async (p: StatsParent, ctx: GraphQLContext) => (await campaignMetrics(ctx, p.campaignId, { kind: 'request' })).counts;
const FIGURE_DEPRECATION = 'Use Campaign.metrics, which has every figure of docs/metrics.md; this field returns the same value.';

export const CampaignStatsRef = builder.objectRef<StatsParent>('CampaignStats').implement({
  description: 'Where the campaign\'s messages are now (byStatus, skippedByReason). Its figure fields are kept for older clients and read the same counters as Campaign.metrics.',
  fields: (t) => ({
    byStatus: t.field({ type: [CountRef], description: 'Messages by status now (QUEUED, SENDING, SENT, DELIVERED, SKIPPED…), read from the message rows.', resolve: async (p, _a, ctx) => Object.entries((await statesOf(p, ctx)).byStatus).map(([key, count]) => ({ key, count })) }),
    skippedByReason: t.field({ type: [CountRef], description: 'Skipped messages by reason: frequency_cap, frequency_interval, suppressed, not_consenting…', resolve: async (p, _a, ctx) => Object.entries((await statesOf(p, ctx)).skippedByReason).map(([key, count]) => ({ key, count })) }),
    recipients: t.int({ description: 'Campaign.metrics.recipients.', deprecationReason: FIGURE_DEPRECATION, resolve: async (p, _a, ctx) => (await countsOf(p, ctx)).recipients }),
    sent: t.int({ description: 'Campaign.metrics.sent.', deprecationReason: FIGURE_DEPRECATION, resolve: async (p, _a, ctx) => (await countsOf(p, ctx)).sent }),
    delivered: t.int({ description: 'Campaign.metrics.delivered.', deprecationReason: FIGURE_DEPRECATION, resolve: async (p, _a, ctx) => deliveredOf(await countsOf(p, ctx)) }),
    opened: t.int({ description: 'Campaign.metrics.opened.', deprecationReason: FIGURE_DEPRECATION, resolve: async (p, _a, ctx) => (await countsOf(p, ctx)).opened }),
    machineOpened: t.int({
      description: 'Campaign.metrics.openedIncludingMachine − opened: opened only by machine prefetch.',
      deprecationReason: FIGURE_DEPRECATION,
      resolve: async (p, _a, ctx) => {
        const c = await countsOf(p, ctx);
        return c.openedAny - c.opened;
      },
    }),
    clicked: t.int({ description: 'Campaign.metrics.clicked.', deprecationReason: FIGURE_DEPRECATION, resolve: async (p, _a, ctx) => (await countsOf(p, ctx)).clicked }),
    converted: t.int({ description: 'Campaign.metrics.conversions.', deprecationReason: FIGURE_DEPRECATION, resolve: async (p, _a, ctx) => (await countsOf(p, ctx)).conversions }),
    unsubscribed: t.int({ description: 'Campaign.metrics.unsubscribes.', deprecationReason: FIGURE_DEPRECATION, resolve: async (p, _a, ctx) => (await countsOf(p, ctx)).unsubscribes }),
    complained: t.int({ description: 'Campaign.metrics.complaints.', deprecationReason: FIGURE_DEPRECATION, resolve: async (p, _a, ctx) => (await countsOf(p, ctx)).complaints }),
    revenue: t.float({ description: 'Campaign.metrics.revenue.', deprecationReason: FIGURE_DEPRECATION, resolve: async (p, _a, ctx) => (await countsOf(p, ctx)).revenue }),
  }),
});

const VariantResultRef = builder.objectRef<VariantResult>('AbVariantResult').implement({
  fields: (t) => ({
    variantId: t.id({ resolve: (v) => encode('CampaignVariant', v.variantId) }),
    name: t.exposeString('name'),
    recipients: t.exposeInt('recipients'),
    successes: t.exposeInt('successes', { description: 'Opens, clicks or conversions (0 for REVENUE).' }),
    value: t.exposeFloat('value', { description: 'The rate (or revenue per recipient).' }),
    low: t.exposeFloat('low', { description: '95 % confidence interval, lower bound.' }),
    high: t.exposeFloat('high', { description: '95 % confidence interval, upper bound.' }),
  }),
});

const ComparisonRef = builder.objectRef<AbDecision['comparisons'][number]>('AbComparison').implement({
  fields: (t) => ({
    variantId: t.id({ resolve: (c) => encode('CampaignVariant', c.variantId) }),
    againstVariantId: t.id({ resolve: (c) => encode('CampaignVariant', c.againstVariantId) }),
    z: t.exposeFloat('z'),
    pValue: t.exposeFloat('pValue'),
  }),
});

const AbResultsRef = builder.objectRef<AbDecision & { decided: boolean; decidedAt: string | null }>('AbTestResults').implement({
  description: 'Per-variant rates with 95 % intervals; two-proportion z-tests (Bonferroni-corrected) of the leader against each other variant.',
  fields: (t) => ({
    decided: t.exposeBoolean('decided'),
    decidedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => (r.decidedAt ? new Date(r.decidedAt) : null) }),
    metric: t.expose('metric', { type: AbMetricEnum }),
    significant: t.exposeBoolean('significant'),
    rule: t.exposeString('rule', { description: 'significant, fallback:CONTROL or fallback:LEADER.' }),
    winnerVariantId: t.id({ nullable: true, resolve: (r) => (r.decided ? encode('CampaignVariant', r.winnerVariantId) : null) }),
    leaderVariantId: t.id({ resolve: (r) => encode('CampaignVariant', r.leaderVariantId) }),
    variants: t.field({ type: [VariantResultRef], resolve: (r) => r.variants }),
    comparisons: t.field({ type: [ComparisonRef], resolve: (r) => r.comparisons }),
  }),
});

const encode = (typename: string, id: number) => encodeGlobalID(typename, String(id));

export const CampaignVariantRef = builder.prismaNode('CampaignVariant', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: Number(id), workspaceId: ws(ctx).workspaceId }),
  nullable: true,
  fields: (t) => ({
    name: t.exposeString('name'),
    position: t.exposeInt('position'),
    subject: t.exposeString('subject', { nullable: true, description: 'Subject override (Liquid); null: the template subject.' }),
    fromName: t.exposeString('fromName', { nullable: true }),
    template: t.loadable({
      type: TemplateRef,
      nullable: true,
      load: async (ids: number[], ctx) => {
        const rows = await ctx.core.db.prisma.template.findMany({ where: { id: { in: ids }, workspaceId: ws(ctx).workspaceId } });
        return ids.map((id) => rows.find((r) => r.id === id) ?? null);
      },
      resolve: (v) => v.templateId ?? 0,
    }),
    templateVersion: t.loadable({
      type: TemplateVersionRef,
      nullable: true,
      description: 'The version frozen at launch (null before launch).',
      load: async (ids: number[], ctx) => {
        const rows = await ctx.core.db.prisma.templateVersion.findMany({ where: { id: { in: ids }, workspaceId: ws(ctx).workspaceId } });
        return ids.map((id) => rows.find((r) => r.id === id) ?? null);
      },
      resolve: (v) => v.templateVersionId ?? 0,
    }),
  }),
});

export const CampaignRef = builder.prismaNode('Campaign', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: Number(id), workspaceId: ws(ctx).workspaceId }),
  nullable: true,
  fields: (t) => ({
    name: t.exposeString('name'),
    type: t.expose('type', { type: CampaignTypeEnum }),
    category: t.expose('category', { type: CampaignCategoryEnum }),
    status: t.expose('status', { type: CampaignStatusEnum }),
    pauseReason: t.exposeString('pauseReason', { nullable: true, description: 'Why it is paused: a person, or the provider circuit breaker with the provider\'s last error.' }),
    from: t.field({ type: AddressRef, resolve: (c) => ({ email: c.fromEmail, name: c.fromName }) }),
    replyTo: t.field({ type: AddressRef, nullable: true, resolve: (c) => (c.replyToEmail ? { email: c.replyToEmail, name: c.replyToName } : null) }),
    integrationId: t.id({ nullable: true, resolve: (c) => (c.integrationId ? encode('Integration', c.integrationId) : null) }),
    audience: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The audience as given: { includePersonaIds, excludePersonaIds (Persona IDs), filter }.',
      resolve: (c) => {
        const a = c.audience as { includePersonaIds?: number[]; excludePersonaIds?: number[]; filter?: unknown } | null;
        if (!a) return null;
        const ids = (list?: number[]) => (list ?? []).map((id) => encode('Persona', id));
        return { includePersonaIds: ids(a.includePersonaIds), excludePersonaIds: ids(a.excludePersonaIds), filter: a.filter ?? null };
      },
    }),
    utm: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.utm ?? null }),
    schedule: t.field({ type: ScheduleRef, resolve: (c) => ({ mode: c.sendMode, sendAt: c.sendAt, windowHours: c.stoWindowHours }) }),
    throttlePerMinute: t.exposeInt('throttlePerMinute', { nullable: true }),
    trigger: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.trigger ?? null }),
    abTest: t.field({
      type: 'JSON',
      nullable: true,
      description: '{ testFraction, metric, windowMinutes, fallback, phase, decideAt }.',
      resolve: (c) => (c.abMetric ? { testFraction: c.abTestFraction, metric: c.abMetric, windowMinutes: c.abWindowMinutes, fallback: c.abFallback, phase: c.abPhase, decideAt: c.abDecideAt } : null),
    }),
    abFallback: t.expose('abFallback', { type: AbFallbackEnum, nullable: true }),
    audienceCount: t.exposeInt('audienceCount', { nullable: true, description: 'Recipients snapshotted at launch.' }),
    snapshot: t.field({ type: SnapshotRef, nullable: true, resolve: (c) => (c.snapshot as never) ?? null }),
    launchedAt: t.expose('launchedAt', { type: 'DateTime', nullable: true }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    variants: t.relation('variants', { query: { orderBy: { position: 'asc' } } }),
    winnerVariant: t.loadable({
      type: CampaignVariantRef,
      nullable: true,
      load: async (ids: number[], ctx) => {
        const rows = await ctx.core.db.prisma.campaignVariant.findMany({ where: { id: { in: ids }, workspaceId: ws(ctx).workspaceId } });
        return ids.map((id) => rows.find((r) => r.id === id) ?? null);
      },
      resolve: (c) => c.winnerVariantId ?? 0,
    }),
    stats: t.field({
      type: CampaignStatsRef,
      description: 'Where the messages are now (byStatus, skippedByReason). For figures and rates use metrics.',
      resolve: (c) => ({ campaignId: c.id }),
    }),
    abResults: t.field({
      type: AbResultsRef,
      nullable: true,
      description: 'Live results while testing; the decision once made.',
      resolve: async (c, _a, ctx) => {
        if (!c.abMetric) return null;
        if (c.abPhase === 'DECIDED' && c.abResult) {
          const r = c.abResult as unknown as AbDecision & { decidedAt: string };
          return { ...r, decided: true, decidedAt: r.decidedAt };
        }
        const counts = await abCounts(ctx.core, c.id, c.abMetric as AbMetric);
        return { ...decideAbTest(c.abMetric as AbMetric, counts, c.abFallback ?? 'CONTROL'), variants: variantResults(c.abMetric as AbMetric, counts), decided: false, decidedAt: null };
      },
    }),
  }),
});

builder.queryFields((t) => ({
  campaign: t.prismaField({
    type: 'Campaign',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      const row = await ctx.core.db.prisma.campaign.findFirst({ ...query, where: { id: numericId(String(id), 'Campaign', ['id']), workspaceId: ws(ctx).workspaceId } });
      if (!row) throw new NotFoundError('campaign', String(id));
      return row;
    },
  }),
  campaigns: t.prismaConnection({
    type: 'Campaign',
    cursor: 'id',
    defaultSize: 20,
    maxSize: 100,
    args: { status: t.arg({ type: [CampaignStatusEnum] }), type: t.arg({ type: CampaignTypeEnum }) },
    resolve: (query, _root, args, ctx) =>
      ctx.core.db.prisma.campaign.findMany({
        ...query,
        where: { workspaceId: ws(ctx).workspaceId, status: args.status?.length ? { in: args.status } : undefined, type: args.type ?? undefined },
        orderBy: { id: 'desc' },
      }),
  }),
}));
