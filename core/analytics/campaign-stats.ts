// Reading campaign figures from the rollups: totals, variants, personas, time buckets and top
// links, each for many campaigns in one statement (the GraphQL dataloaders call these with a
// page of campaign ids). Cost is proportional to rollup rows (campaigns × variants × hours),
// never to messages or events. Every read is scoped to the workspace.
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { addCounts, COUNTER_COLUMNS, countsFromRow, emptyCounts, sumColumnsSql, type Counts } from './metric-definitions';
import { groupBuckets, type BucketSize, type StatsBucket } from './time-buckets';

export interface CampaignTotals {
  campaignId: number;
  counts: Counts;
  /** When a counter last changed (null: nothing counted yet). */
  updatedAt: Date | null;
}

export interface VariantStats {
  campaignId: number;
  variantId: number;
  name: string;
  position: number;
  counts: Counts;
}

export interface PersonaStats {
  campaignId: number;
  personaId: number;
  name: string;
  slug: string;
  counts: Counts;
}

export interface LinkStats {
  campaignId: number;
  url: string;
  clicks: number;
  uniqueClicks: number;
}

/** A campaign's totals, variants and personas, as one dashboard row needs them. */
export interface CampaignFigures {
  totals: CampaignTotals;
  variants: VariantStats[];
  personas: PersonaStats[];
}

const SUMS = sumColumnsSql('r');
const ZEROS = COUNTER_COLUMNS.map((c) => `0 AS ${c}`).join(', ');

/**
 * Totals, variants (every variant, in position order) and personas (largest first) of many
 * campaigns in ONE statement: a dashboard page pays one round trip for all its figures.
 * Totals are the sum of the per-variant rows (variant 0, the held remainder, included).
 */
export async function campaignFigures(ctx: WorkspaceContext, campaignIds: readonly number[]): Promise<Map<number, CampaignFigures>> {
  const out = new Map<number, CampaignFigures>(
    campaignIds.map((id) => [id, { totals: { campaignId: id, counts: emptyCounts(), updatedAt: null }, variants: [], personas: [] }]),
  );
  if (!campaignIds.length) return out;
  const w = ctx.workspaceId;
  const ids = [...campaignIds];
  const [rows] = await ctx.db.sql.query<RowDataPacket[]>(
    `SELECT 'v' AS kind, r.campaign_id, r.variant_id AS k, NULL AS label, NULL AS extra, ${SUMS}, MAX(r.updated_at) AS updated_at
       FROM campaign_rollups r WHERE r.workspace_id = ? AND r.campaign_id IN (?) AND r.persona_id = 0 GROUP BY r.campaign_id, r.variant_id
     UNION ALL
     SELECT 'n', v.campaign_id, v.id, v.name, v.position, ${ZEROS}, NULL FROM campaign_variants v WHERE v.workspace_id = ? AND v.campaign_id IN (?)
     UNION ALL
     SELECT 'p', r.campaign_id, r.persona_id, p.name, p.slug, ${SUMS}, NULL
       FROM campaign_rollups r JOIN personas p ON p.id = r.persona_id AND p.workspace_id = r.workspace_id
      WHERE r.workspace_id = ? AND r.campaign_id IN (?) AND r.persona_id <> 0 GROUP BY r.campaign_id, r.persona_id, p.name, p.slug`,
    [w, ids, w, ids, w, ids],
  );
  const variantCounts = new Map<string, Counts>();
  for (const r of rows) {
    const f = out.get(r.campaign_id);
    if (!f) continue;
    if (r.kind === 'v') {
      const counts = countsFromRow(r);
      addCounts(f.totals.counts, counts);
      if (r.updated_at && (!f.totals.updatedAt || r.updated_at > f.totals.updatedAt)) f.totals.updatedAt = r.updated_at;
      variantCounts.set(`${r.campaign_id}:${r.k}`, counts);
    } else if (r.kind === 'n') {
      f.variants.push({ campaignId: r.campaign_id, variantId: Number(r.k), name: r.label, position: Number(r.extra), counts: emptyCounts() });
    } else {
      f.personas.push({ campaignId: r.campaign_id, personaId: Number(r.k), name: r.label, slug: r.extra, counts: countsFromRow(r) });
    }
  }
  for (const f of out.values()) {
    for (const v of f.variants) v.counts = variantCounts.get(`${v.campaignId}:${v.variantId}`) ?? v.counts;
    f.variants.sort((a, b) => a.position - b.position);
    f.personas.sort((a, b) => b.counts.recipients - a.counts.recipients || a.personaId - b.personaId);
  }
  return out;
}

/** Totals per campaign (campaigns with nothing counted get zeros). */
export async function campaignTotals(ctx: WorkspaceContext, campaignIds: readonly number[]): Promise<Map<number, CampaignTotals>> {
  return new Map([...(await campaignFigures(ctx, campaignIds))].map(([id, f]) => [id, f.totals]));
}

/** Every variant of each campaign, in position order, with its figures. */
export async function variantBreakdown(ctx: WorkspaceContext, campaignIds: readonly number[]): Promise<Map<number, VariantStats[]>> {
  return new Map([...(await campaignFigures(ctx, campaignIds))].map(([id, f]) => [id, f.variants]));
}

/** Figures per persona the recipients were in when the campaign reached them, largest first. */
export async function personaBreakdown(ctx: WorkspaceContext, campaignIds: readonly number[]): Promise<Map<number, PersonaStats[]>> {
  return new Map([...(await campaignFigures(ctx, campaignIds))].map(([id, f]) => [id, f.personas]));
}

/**
 * Figures per hour or per local day, per campaign, optionally within [from, to), and optionally
 * of one variant and/or one persona: the rollup rows are kept per variant and persona (persona
 * 0 = the whole campaign), so a slice is only a narrower WHERE on the same rows.
 */
export async function campaignTimelines(
  ctx: WorkspaceContext,
  campaignIds: readonly number[],
  args: { bucket: BucketSize; from?: Date | null; to?: Date | null; timezone: string; variantId?: number | null; personaId?: number | null },
): Promise<Map<number, StatsBucket[]>> {
  const out = new Map<number, StatsBucket[]>(campaignIds.map((id) => [id, []]));
  if (!campaignIds.length) return out;
  const [rows] = await ctx.db.sql.query<RowDataPacket[]>(
    `SELECT campaign_id, bucket_at, ${sumColumnsSql()} FROM campaign_rollups
      WHERE workspace_id = ? AND campaign_id IN (?) AND persona_id = ? ${args.variantId ? 'AND variant_id = ?' : ''}
        ${args.from ? 'AND bucket_at >= ?' : ''} ${args.to ? 'AND bucket_at < ?' : ''}
      GROUP BY campaign_id, bucket_at ORDER BY campaign_id, bucket_at`,
    [ctx.workspaceId, campaignIds, args.personaId ?? 0, ...(args.variantId ? [args.variantId] : []), ...(args.from ? [args.from] : []), ...(args.to ? [args.to] : [])],
  );
  const hourly = new Map<number, { bucketAt: Date; counts: Counts }[]>();
  for (const r of rows) hourly.set(r.campaign_id, [...(hourly.get(r.campaign_id) ?? []), { bucketAt: r.bucket_at, counts: countsFromRow(r) }]);
  for (const [id, list] of hourly) out.set(id, groupBuckets(list, args.bucket, args.timezone));
  return out;
}

/** The most clicked links of each campaign (human clicks). */
export async function topLinks(ctx: WorkspaceContext, campaignIds: readonly number[], limit: number): Promise<Map<number, LinkStats[]>> {
  const out = new Map<number, LinkStats[]>(campaignIds.map((id) => [id, []]));
  if (!campaignIds.length) return out;
  const [rows] = await ctx.db.sql.query<RowDataPacket[]>(
    `SELECT * FROM (
       SELECT campaign_id, url, clicks, unique_clicks, ROW_NUMBER() OVER (PARTITION BY campaign_id ORDER BY clicks DESC, unique_clicks DESC, url) AS rn
         FROM campaign_link_rollups WHERE workspace_id = ? AND campaign_id IN (?)
     ) ranked WHERE rn <= ? ORDER BY campaign_id, rn`,
    [ctx.workspaceId, campaignIds, limit],
  );
  for (const r of rows) out.get(r.campaign_id)?.push({ campaignId: r.campaign_id, url: r.url, clicks: Number(r.clicks), uniqueClicks: Number(r.unique_clicks) });
  return out;
}
