// Where a campaign's messages are now: how many in each status, and why the skipped ones were
// skipped (one grouped statement for any number of campaigns). This is delivery state, read
// from the message rows; the campaign's figures (sent, opened, rates…) are not counted here but
// in the rollups (core/analytics), so that they are defined once (docs/metrics.md).
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';

export interface MessageStates {
  campaignId: number;
  byStatus: Record<string, number>;
  skippedByReason: Record<string, number>;
}

/** Message states of the given campaigns of the caller's workspace (campaigns without messages get empty maps). */
export async function messageStates(ctx: WorkspaceContext, campaignIds: readonly number[]): Promise<Map<number, MessageStates>> {
  const out = new Map(campaignIds.map((id) => [id, { campaignId: id, byStatus: {}, skippedByReason: {} } as MessageStates]));
  if (!campaignIds.length) return out;
  const [rows] = await ctx.db.sql.query<RowDataPacket[]>(
    `SELECT campaign_id, status, skip_reason, COUNT(*) AS n FROM messages
      WHERE workspace_id = ? AND campaign_id IN (?) GROUP BY campaign_id, status, skip_reason`,
    [ctx.workspaceId, [...campaignIds]],
  );
  for (const r of rows) {
    const s = out.get(r.campaign_id)!;
    const n = Number(r.n);
    s.byStatus[r.status] = (s.byStatus[r.status] ?? 0) + n;
    if (r.skip_reason) s.skippedByReason[r.skip_reason] = (s.skippedByReason[r.skip_reason] ?? 0) + n;
  }
  return out;
}
