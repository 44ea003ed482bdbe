// Campaign counters read from the message rows (one grouped statement for any number of
// campaigns, so a list of campaigns with their stats costs one query).
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';

export interface CampaignStats {
  campaignId: number;
  total: number;
  byStatus: Record<string, number>;
  skippedByReason: Record<string, number>;
  /** Recipients the provider accepted (SENT and everything after it). */
  sent: number;
  delivered: number;
  opened: number;
  machineOpened: number;
  clicked: number;
  converted: number;
  unsubscribed: number;
  complained: number;
  revenue: number;
}

const ACCEPTED = ['SENT', 'DELIVERED', 'BOUNCED', 'DROPPED'];

/** Stats of the given campaigns of the caller's workspace, in the order asked. */
export async function campaignStats(ctx: WorkspaceContext, campaignIds: number[]): Promise<CampaignStats[]> {
  const empty = (id: number): CampaignStats => ({
    campaignId: id, total: 0, byStatus: {}, skippedByReason: {}, sent: 0, delivered: 0, opened: 0, machineOpened: 0, clicked: 0, converted: 0, unsubscribed: 0, complained: 0, revenue: 0,
  });
  const out = new Map(campaignIds.map((id) => [id, empty(id)]));
  if (!campaignIds.length) return [];
  const [rows] = await ctx.db.sql.query<RowDataPacket[]>(
    `SELECT campaign_id, status, skip_reason, COUNT(*) AS n,
            SUM(delivered_at IS NOT NULL) AS delivered, SUM(opened_at IS NOT NULL) AS opened, SUM(machine_opened_at IS NOT NULL AND opened_at IS NULL) AS machine,
            SUM(clicked_at IS NOT NULL) AS clicked, SUM(converted_at IS NOT NULL) AS converted, SUM(unsubscribed_at IS NOT NULL) AS unsubscribed,
            SUM(complained_at IS NOT NULL) AS complained, COALESCE(SUM(revenue), 0) AS revenue
       FROM messages WHERE workspace_id = ? AND campaign_id IN (?)
      GROUP BY campaign_id, status, skip_reason`,
    [ctx.workspaceId, campaignIds],
  );
  for (const r of rows) {
    const s = out.get(r.campaign_id)!;
    const n = Number(r.n);
    s.total += n;
    s.byStatus[r.status] = (s.byStatus[r.status] ?? 0) + n;
    if (r.skip_reason) s.skippedByReason[r.skip_reason] = (s.skippedByReason[r.skip_reason] ?? 0) + n;
    if (ACCEPTED.includes(r.status)) s.sent += n;
    s.delivered += Number(r.delivered);
    s.opened += Number(r.opened);
    s.machineOpened += Number(r.machine);
    s.clicked += Number(r.clicked);
    s.converted += Number(r.converted);
    s.unsubscribed += Number(r.unsubscribed);
    s.complained += Number(r.complained);
    s.revenue += Number(r.revenue);
  }
  return campaignIds.map((id) => out.get(id)!);
}
