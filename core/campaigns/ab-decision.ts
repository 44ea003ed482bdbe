// Deciding A/B tests whose window has passed, and releasing the held remainder of the
// audience to the winner. Safe with several schedulers running: the decision is a
// compare-and-set on ab_phase, so exactly one of them releases the held messages.
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';
import { withSqlTransaction } from '../db/sql-helpers';
import { rollupHeldRelease } from '../analytics/rollup-writer';
import { DELIVERED_SQL } from '../analytics/rollup-deltas';
import { decideAbTest, type AbDecision, type AbMetric, type VariantCounts } from './ab-statistics';
import { inWorkspace, wsParams, type Scope } from '../delivery/delivery-maintenance';
import './campaign-events';

// The same definitions as Campaign.metrics (docs/metrics.md), so a variant's rate in abResults
// is the rate its metrics show: opened counts a human click as an open (it proves one, images
// off or not), and the denominator is delivered (accepted, neither bounced nor dropped).
const SUCCESS_COLUMN: Record<AbMetric, string> = {
  OPEN: '(m.opened_at IS NOT NULL OR m.clicked_at IS NOT NULL)',
  CLICK: 'm.clicked_at IS NOT NULL',
  CONVERSION: 'm.converted_at IS NOT NULL',
  REVENUE: 'm.revenue IS NOT NULL',
};

/** Per-variant counts of the test group so far (recipients delivered: accepted, neither bounced nor dropped). */
export async function abCounts(core: CoreContext, campaignId: number, metric: AbMetric): Promise<VariantCounts[]> {
  const [variants] = await core.db.sql.query<RowDataPacket[]>('SELECT id, name, position FROM campaign_variants WHERE campaign_id = ? ORDER BY position', [campaignId]);
  // Before the decision only the test group has variants; afterwards, winner-released rows
  // are excluded by sending time (they went out after the decision).
  const [rows] = await core.db.sql.query<RowDataPacket[]>(
    `SELECT m.variant_id, COUNT(*) AS n, SUM(${SUCCESS_COLUMN[metric]}) AS x,
            COALESCE(SUM(COALESCE(m.revenue, 0)), 0) AS rev, COALESCE(SUM(COALESCE(m.revenue, 0) * COALESCE(m.revenue, 0)), 0) AS rev2
       FROM messages m JOIN campaigns c ON c.id = m.campaign_id
      WHERE m.campaign_id = ? AND m.variant_id IS NOT NULL AND ${DELIVERED_SQL}
        AND (c.ab_phase = 'TESTING' OR m.sent_at <= COALESCE(c.ab_decide_at, m.sent_at))
      GROUP BY m.variant_id`,
    [campaignId],
  );
  const by = new Map(rows.map((r) => [r.variant_id, r]));
  return variants.map((v) => {
    const r = by.get(v.id);
    return { variantId: v.id, name: v.name, position: v.position, recipients: Number(r?.n ?? 0), successes: Number(r?.x ?? 0), revenue: Number(r?.rev ?? 0), revenueSquares: Number(r?.rev2 ?? 0) };
  });
}

/** Decides every test whose window ended; returns the campaigns decided. */
export async function decideDueAbTests(core: CoreContext, scope: Scope = {}): Promise<number[]> {
  const now = core.now();
  const [due] = await core.db.sql.query<RowDataPacket[]>(
    `SELECT id, workspace_id, ab_metric, ab_fallback FROM campaigns WHERE ab_phase = 'TESTING' AND ab_decide_at <= ? AND status IN ('SENDING', 'SENT', 'PAUSED') ${inWorkspace(scope)}`,
    [now, ...wsParams(scope)],
  );
  const decided: number[] = [];
  for (const c of due) {
    const decision = decideAbTest(c.ab_metric, await abCounts(core, c.id, c.ab_metric), c.ab_fallback ?? 'CONTROL');
    if (await applyDecision(core, c.id, decision, now)) {
      decided.push(c.id);
      core.events.emit('campaign.ab.decided', { workspaceId: c.workspace_id, campaignId: c.id, winnerVariantId: decision.winnerVariantId, significant: decision.significant });
    }
  }
  return decided;
}

async function applyDecision(core: CoreContext, campaignId: number, decision: AbDecision, now: Date): Promise<boolean> {
  return withSqlTransaction(core.db.sql, async (conn) => {
    const [res] = await conn.query(
      "UPDATE campaigns SET ab_phase = 'DECIDED', winner_variant_id = ?, ab_result = ?, ab_decide_at = ?, updated_at = ? WHERE id = ? AND ab_phase = 'TESTING'",
      [decision.winnerVariantId, JSON.stringify({ ...decision, decidedAt: now.toISOString() }), now, now, campaignId],
    );
    if (!(res as { affectedRows: number }).affectedRows) return false;
    await rollupHeldRelease(conn, { campaignId, variantId: decision.winnerVariantId });
    // The rest of the audience gets the winner; send times still in the future (STO) are kept.
    // (HELD rows keep the campaign SENDING, so it cannot have completed meanwhile.)
    await conn.query(
      "UPDATE messages SET variant_id = ?, status = 'QUEUED', send_at = GREATEST(send_at, ?), updated_at = ? WHERE campaign_id = ? AND status = 'HELD'",
      [decision.winnerVariantId, now, now, campaignId],
    );
    return true;
  });
}
