// analyticsOverview: the workspace's figures over a date range, the previous period of the
// same length, the change of every metric, and a timeline.
import { builder } from '../builder';
import { ws } from '../context';
import { MetricsRef } from './metrics.interface';
import { BucketSizeEnum, MetricsBucketRef } from './campaign-metrics.type';
import { workspaceOverview, type MetricChange, type PeriodFigures, type WorkspaceOverview } from '../../core/analytics/workspace-overview';

const PeriodMetricsRef = builder.objectRef<PeriodFigures>('PeriodMetrics').implement({
  interfaces: [MetricsRef],
  isTypeOf: (v) => typeof v === 'object' && v !== null && 'campaigns' in v,
  fields: (t) => ({
    from: t.expose('from', { type: 'DateTime' }),
    to: t.expose('to', { type: 'DateTime', description: 'Exclusive.' }),
    campaigns: t.exposeInt('campaigns', { description: 'Campaigns with anything counted in the period.' }),
  }),
});

const MetricChangeRef = builder.objectRef<MetricChange>('MetricChange').implement({
  description: 'One metric in the period and the previous one.',
  fields: (t) => ({
    metric: t.exposeString('metric', { description: 'The field name on Metrics (e.g. sent, openRate).' }),
    current: t.exposeFloat('current', { nullable: true }),
    previous: t.exposeFloat('previous', { nullable: true }),
    change: t.exposeFloat('change', { nullable: true, description: 'current − previous (rates: on the 0–1 scale).' }),
    relativeChange: t.exposeFloat('relativeChange', { nullable: true, description: 'change / previous; null when previous is 0.' }),
  }),
});

const OverviewRef = builder.objectRef<WorkspaceOverview>('AnalyticsOverview').implement({
  fields: (t) => ({
    current: t.field({ type: PeriodMetricsRef, resolve: (o) => o.current }),
    previous: t.field({ type: PeriodMetricsRef, description: 'The period of the same length just before.', resolve: (o) => o.previous }),
    changes: t.field({ type: [MetricChangeRef], resolve: (o) => o.changes }),
    timeline: t.field({ type: [MetricsBucketRef], description: 'The current period per bucket (buckets where something happened).', resolve: (o) => o.timeline }),
  }),
});

builder.queryFields((t) => ({
  analyticsOverview: t.field({
    type: OverviewRef,
    description: 'Every campaign\'s figures over [from, to), compared with the previous period of the same length.',
    args: {
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      bucket: t.arg({ type: BucketSizeEnum, required: true, defaultValue: 'DAY' }),
    },
    resolve: (_root, args, ctx) => workspaceOverview(ws(ctx), args),
  }),
}));
