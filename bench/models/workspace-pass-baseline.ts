// The baseline of bench/models/scoring-db.bench.ts: the same behaviour aggregates as
// core/models/feature-sql.ts in one hand-written GROUP BY pass over the workspace's events,
// read the way a workspace-wide statement reads them without the covering per-contact index:
// through (workspace_id, type, occurred_at), each row fetched by primary key, then sorted by
// contact. The lower bound of "one sequential set-based pass" without a new index.
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../../core/context';

const DAY = 86_400_000;

/** Runs the pass; returns how many contacts it aggregated and how long it took. */
export async function workspacePassBaseline(ctx: WorkspaceContext, args: { cutoff: Date; lookbackDays: number }): Promise<{ contacts: number; seconds: number }> {
  const ago = (days: number) => new Date(args.cutoff.getTime() - days * DAY);
  const t = performance.now();
  const [rows] = await ctx.db.sql.query<RowDataPacket[]>(
    `SELECT e.contact_id, MIN(e.occurred_at) AS first_at, MAX(e.occurred_at) AS last_at, COUNT(*) AS n_all,
        SUM(e.occurred_at >= ?) AS n7, SUM(e.occurred_at >= ?) AS n30, SUM(e.occurred_at >= ?) AS n90,
        COUNT(DISTINCT CASE WHEN e.occurred_at >= ? THEN DATE(e.occurred_at) END) AS d30,
        COUNT(DISTINCT CASE WHEN e.occurred_at >= ? THEN DATE(e.occurred_at) END) AS d90,
        COUNT(DISTINCT e.type) AS n_types,
        SUM(e.type = 'purchase' AND e.occurred_at >= ?) AS p30, SUM(e.type = 'purchase' AND e.occurred_at >= ?) AS p90,
        SUM(e.type = 'purchase') AS p_all, MAX(CASE WHEN e.type = 'purchase' THEN e.occurred_at END) AS p_last,
        COALESCE(SUM(CASE WHEN e.type = 'purchase' AND e.occurred_at >= ? THEN e.value END), 0) AS rev90,
        COALESCE(SUM(CASE WHEN e.type = 'purchase' THEN e.value END), 0) AS rev_all
      FROM events e FORCE INDEX (events_workspace_type_time_idx)
      WHERE e.workspace_id = ? AND e.occurred_at >= ? AND e.occurred_at < ?
      GROUP BY e.contact_id ORDER BY e.contact_id`,
    [ago(7), ago(30), ago(90), ago(30), ago(90), ago(30), ago(90), ago(90), ctx.workspaceId, ago(args.lookbackDays), args.cutoff],
  );
  return { contacts: rows.length, seconds: (performance.now() - t) / 1000 };
}
