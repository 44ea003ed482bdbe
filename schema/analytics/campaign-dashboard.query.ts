// campaignDashboard: the page a marketing dashboard shows — campaigns, newest first, each with
// its figures, variants and persona breakdown. The page itself is one mysql2 statement over
// the columns a dashboard lists (Prisma's generic query costs several times more CPU per page
// than everything else together); `campaign` gives the full Campaign when needed.
import { encodeGlobalID, resolveCursorConnection } from '@pothos/plugin-relay';
import type { RowDataPacket } from 'mysql2/promise';
import { builder } from '../builder';
import { ws } from '../context';
import { ValidationError } from '../../core/errors';
import { CampaignRef, CampaignStatusEnum } from '../campaigns/campaign.type';
import { CampaignTypeEnum } from '../campaigns/campaign.inputs';
import { CampaignMetricsRef } from './campaign-metrics.type';
import { campaignMetrics } from './campaign-figures';
import { requestLoader } from './metrics-loaders';

interface CampaignSummary {
  id: number;
  name: string;
  status: string;
  type: string;
  audienceCount: number | null;
  launchedAt: Date | null;
  completedAt: Date | null;
  createdAt: Date;
}

const CampaignSummaryRef = builder.objectRef<CampaignSummary>('CampaignSummary').implement({
  description: 'A campaign as a dashboard lists it.',
  fields: (t) => ({
    id: t.id({ description: 'The Campaign id.', resolve: (c) => encodeGlobalID('Campaign', String(c.id)) }),
    name: t.exposeString('name'),
    status: t.field({ type: CampaignStatusEnum, resolve: (c) => c.status as never }),
    type: t.field({ type: CampaignTypeEnum, resolve: (c) => c.type as never }),
    audienceCount: t.exposeInt('audienceCount', { nullable: true }),
    launchedAt: t.expose('launchedAt', { type: 'DateTime', nullable: true }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    metrics: t.field({ type: CampaignMetricsRef, resolve: (c, _a, ctx) => campaignMetrics(ctx, c.id, { kind: 'request' }) }),
    campaign: t.field({
      type: CampaignRef,
      nullable: true,
      description: 'Every detail of the campaign.',
      resolve: (c, _a, ctx) =>
        requestLoader(ctx, 'campaignRow', async (w, ids) => new Map((await w.db.prisma.campaign.findMany({ where: { id: { in: [...ids] }, workspaceId: w.workspaceId } })).map((r) => [r.id, r]))).load(c.id),
    }),
  }),
});

// Cursor: "<created at ms>:<id>", the position in (created_at DESC, id DESC) order.
const toCursor = (c: CampaignSummary) => `${c.createdAt.getTime()}:${c.id}`;
function fromCursor(cursor: string): [Date, number] {
  const m = /^(\d+):(\d+)$/.exec(cursor);
  if (!m) throw ValidationError.at(['after'], 'not a cursor of this list');
  return [new Date(Number(m[1])), Number(m[2])];
}

builder.queryFields((t) => ({
  campaignDashboard: t.connection({
    type: CampaignSummaryRef,
    description: 'Campaigns, newest first, with their figures (Campaign.metrics). A page costs a fixed number of statements whatever its size.',
    args: { status: t.arg({ type: [CampaignStatusEnum] }) },
    complexity: (args) => ({ field: 1, multiplier: Math.max(1, args.first ?? args.last ?? 20) }),
    resolve: (_root, args, ctx) =>
      resolveCursorConnection<Promise<CampaignSummary[]>>({ args, toCursor, defaultSize: 20, maxSize: 100 }, async ({ after, before, limit, inverted }) => {
        const where = ['workspace_id = ?'];
        const params: unknown[] = [ws(ctx).workspaceId];
        if (args.status?.length) {
          where.push('status IN (?)');
          params.push(args.status);
        }
        for (const [cursor, op] of [[after, '<'], [before, '>']] as const) {
          if (!cursor) continue;
          const [at, id] = fromCursor(cursor);
          where.push(`(created_at ${op} ? OR (created_at = ? AND id ${op} ?))`);
          params.push(at, at, id);
        }
        const [rows] = await ctx.core.db.sql.query<RowDataPacket[]>(
          `SELECT id, name, status, type, audience_count, launched_at, completed_at, created_at FROM campaigns
            WHERE ${where.join(' AND ')} ORDER BY created_at ${inverted ? 'ASC' : 'DESC'}, id ${inverted ? 'ASC' : 'DESC'} LIMIT ?`,
          [...params, limit],
        );
        return rows.map((r): CampaignSummary => ({
          id: r.id, name: r.name, status: r.status, type: r.type, audienceCount: r.audience_count,
          launchedAt: r.launched_at, completedAt: r.completed_at, createdAt: r.created_at,
        }));
      }),
  }),
}));
