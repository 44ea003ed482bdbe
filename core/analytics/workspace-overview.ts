// The workspace overview: every campaign's figures over a date range, beside the same figures
// for the period just before it (same length), with the changes. Reads the rollups' persona-0
// rows through the (workspace, persona, bucket) index: cost follows campaigns × hours active.
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { assertDateRange, MAX_RANGE_DAYS } from './date-range';
import { COUNTER_KEYS, countsFromRow, emptyCounts, RATE_KEYS, ratesOf, sumColumnsSql, deliveredOf, type Counts } from './metric-definitions';
import { groupBuckets, type BucketSize, type StatsBucket } from './time-buckets';

export interface PeriodFigures {
  from: Date;
  to: Date;
  /** Campaigns with anything counted in the period. */
  campaigns: number;
  counts: Counts;
}

export interface MetricChange {
  metric: string;
  current: number | null;
  previous: number | null;
  /** current − previous (rates: in points of the 0–1 scale). */
  change: number | null;
  /** change / previous; null when previous is 0 or unknown. */
  relativeChange: number | null;
}

export interface WorkspaceOverview {
  current: PeriodFigures;
  previous: PeriodFigures;
  changes: MetricChange[];
  timeline: StatsBucket[];
}

/** Figures for [from, to) and the period of equal length before it. */
export async function workspaceOverview(ctx: WorkspaceContext, args: { from: Date; to: Date; bucket: BucketSize }): Promise<WorkspaceOverview> {
  const { from, to } = args;
  assertDateRange(from, to, { maxDays: MAX_RANGE_DAYS });
  const prevFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
  const [totals] = await ctx.db.sql.query<RowDataPacket[]>(
    `SELECT bucket_at >= ? AS is_current, COUNT(DISTINCT campaign_id) AS campaigns, ${sumColumnsSql()}, (SELECT timezone FROM workspaces WHERE id = ?) AS tz
       FROM campaign_rollups WHERE workspace_id = ? AND persona_id = 0 AND bucket_at >= ? AND bucket_at < ?
      GROUP BY is_current`,
    [from, ctx.workspaceId, ctx.workspaceId, prevFrom, to],
  );
  const period = (isCurrent: boolean, a: Date, b: Date): PeriodFigures => {
    const r = totals.find((t) => Number(t.is_current) === (isCurrent ? 1 : 0));
    return { from: a, to: b, campaigns: Number(r?.campaigns ?? 0), counts: r ? countsFromRow(r) : emptyCounts() };
  };
  const current = period(true, from, to);
  const previous = period(false, prevFrom, from);
  const [hours] = await ctx.db.sql.query<RowDataPacket[]>(
    `SELECT bucket_at, ${sumColumnsSql()} FROM campaign_rollups WHERE workspace_id = ? AND persona_id = 0 AND bucket_at >= ? AND bucket_at < ?
      GROUP BY bucket_at ORDER BY bucket_at`,
    [ctx.workspaceId, from, to],
  );
  const tz = totals[0]?.tz ?? (await workspaceTimezone(ctx));
  const timeline = groupBuckets(hours.map((h) => ({ bucketAt: h.bucket_at, counts: countsFromRow(h) })), args.bucket, tz);
  return { current, previous, changes: compare(current.counts, previous.counts), timeline };
}

async function workspaceTimezone(ctx: WorkspaceContext): Promise<string> {
  const [[row]] = await ctx.db.sql.query<RowDataPacket[]>('SELECT timezone FROM workspaces WHERE id = ?', [ctx.workspaceId]);
  return row?.timezone ?? 'UTC';
}

/** Change of every counter, the delivered estimate and every rate. */
export function compare(current: Counts, previous: Counts): MetricChange[] {
  const pairs: [string, number | null, number | null][] = [
    ...COUNTER_KEYS.map((k) => [k, current[k], previous[k]] as [string, number, number]),
    ['delivered', deliveredOf(current), deliveredOf(previous)],
    ...RATE_KEYS.map((k) => [k, ratesOf(current)[k], ratesOf(previous)[k]] as [string, number | null, number | null]),
  ];
  return pairs.map(([metric, cur, prev]) => {
    const change = cur === null || prev === null ? null : cur - prev;
    return { metric, current: cur, previous: prev, change, relativeChange: change === null || !prev ? null : change / prev };
  });
}
