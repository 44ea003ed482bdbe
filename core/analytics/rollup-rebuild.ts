// Recomputes a campaign's rollups from the raw rows (messages, message_events,
// message_personas), set-based. It is the reference the incremental writer must agree with
// (tests/analytics/rollup-writer.test.ts, delivery-rollups.test.ts, settled-uncertain.test.ts), and the repair tool for data written before the
// rollups existed. It locks the campaign's messages, so writers of that campaign wait for it.
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';
import { withSqlTransaction } from '../db/sql-helpers';
import { NotFoundError } from '../errors';
import { DROPPED_SQL, FREQUENCY_SKIP_REASONS, SUPPRESSED_SKIP_REASONS, TOTAL_COUNTERS, UNIQUE_COUNTERS } from './rollup-deltas';
import { hourSql, upsertFromMessages } from './rollup-upsert';
import { COUNTER_COLUMNS, type CounterKey } from './metric-definitions';
import './analytics-events';

const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

/** Rebuilds one campaign's rollups (counters and top links) from the raw rows. */
export async function rebuildCampaignRollups(core: CoreContext, args: { workspaceId: number; campaignId: number }): Promise<void> {
  const { workspaceId, campaignId } = args;
  await withSqlTransaction(core.db.sql, async (conn) => {
    const [[campaign]] = await conn.query<RowDataPacket[]>('SELECT id FROM campaigns WHERE id = ? AND workspace_id = ? FOR UPDATE', [campaignId, workspaceId]);
    if (!campaign) throw new NotFoundError('campaign', String(campaignId));
    await conn.query('SELECT id FROM messages WHERE campaign_id = ? FOR UPDATE', [campaignId]);
    await conn.query('DELETE FROM campaign_rollups WHERE campaign_id = ?', [campaignId]);
    await conn.query('DELETE FROM campaign_link_rollups WHERE campaign_id = ?', [campaignId]);
    await conn.query('DELETE FROM campaign_link_clickers WHERE workspace_id = ? AND campaign_id = ?', [workspaceId, campaignId]);

    const messages = { from: 'messages m', params: [campaignId], variantExpr: 'COALESCE(m.variant_id, 0)' };
    await upsertFromMessages(conn, { ...messages, where: 'm.campaign_id = ?', bucketExpr: hourSql('m.created_at'), counts: { recipients: 'COUNT(*)' } });
    await upsertFromMessages(conn, { ...messages, where: 'm.campaign_id = ? AND m.sent_at IS NOT NULL', bucketExpr: hourSql('m.sent_at'), counts: { sent: 'COUNT(*)', dropped: `SUM(${DROPPED_SQL})` } });
    await upsertFromMessages(conn, {
      ...messages,
      where: "m.campaign_id = ? AND m.status IN ('FAILED', 'UNCERTAIN', 'SKIPPED')",
      bucketExpr: hourSql('m.send_at'),
      counts: {
        failed: "SUM(m.status = 'FAILED')",
        uncertain: "SUM(m.status = 'UNCERTAIN')",
        skipped: "SUM(m.status = 'SKIPPED')",
        skippedFrequency: `SUM(m.status = 'SKIPPED' AND m.skip_reason IN (${list(FREQUENCY_SKIP_REASONS)}))`,
        skippedSuppressed: `SUM(m.status = 'SKIPPED' AND m.skip_reason IN (${list(SUPPRESSED_SKIP_REASONS)}))`,
      },
    });

    // Unique counters: each message once, at its first qualifying event (lowest id).
    for (const u of UNIQUE_COUNTERS) {
      const counts: Partial<Record<CounterKey, string>> = { [u.key]: 'COUNT(*)' };
      if (u.key === 'bounced') {
        counts.bouncedHard = "SUM(COALESCE(e.bounce_class, 'hard') <> 'soft')";
        counts.bouncedSoft = "SUM(COALESCE(e.bounce_class, 'hard') = 'soft')"; // NULL = 'soft' would make the SUM NULL
      }
      await upsertFromMessages(conn, {
        from: `(SELECT message_id, MIN(id) AS first_id FROM message_events WHERE workspace_id = ? AND campaign_id = ? AND ${u.sql} GROUP BY message_id) f
               JOIN message_events e ON e.id = f.first_id JOIN messages m ON m.id = e.message_id`,
        where: '1 = 1',
        params: [workspaceId, campaignId],
        variantExpr: 'COALESCE(m.variant_id, 0)',
        bucketExpr: hourSql('e.occurred_at'),
        counts,
      });
    }

    // Totals: every qualifying event, in the hour it happened.
    const totals = Object.fromEntries(
      TOTAL_COUNTERS.map((t) => [t.key, t.key === 'revenue' ? `SUM(IF(${t.sql}, COALESCE(e.value, 0), 0))` : `SUM(${t.sql})`]),
    ) as Partial<Record<CounterKey, string>>;
    await upsertFromMessages(conn, {
      from: 'message_events e JOIN messages m ON m.id = e.message_id',
      where: "e.workspace_id = ? AND e.campaign_id = ? AND e.type IN ('open', 'click', 'conversion')",
      params: [workspaceId, campaignId],
      variantExpr: 'COALESCE(m.variant_id, 0)',
      bucketExpr: hourSql('e.occurred_at'),
      counts: totals,
    });
    // Rows whose every counter nets to zero carry nothing.
    await conn.query(`DELETE FROM campaign_rollups WHERE campaign_id = ? AND ${zeroRowSql()}`, [campaignId]);

    const humanClicks = "workspace_id = ? AND campaign_id = ? AND type = 'click' AND machine = 0 AND url IS NOT NULL";
    await conn.query(
      `INSERT INTO campaign_link_clickers (message_id, url_hash, workspace_id, campaign_id)
       SELECT DISTINCT message_id, LEFT(SHA2(url, 256), 32), workspace_id, campaign_id FROM message_events WHERE ${humanClicks}`,
      [workspaceId, campaignId],
    );
    await conn.query(
      `INSERT INTO campaign_link_rollups (campaign_id, url_hash, workspace_id, url, clicks, unique_clicks, updated_at)
       SELECT campaign_id, LEFT(SHA2(url, 256), 32) AS h, workspace_id, MIN(url), COUNT(*), COUNT(DISTINCT message_id), NOW(3)
         FROM message_events WHERE ${humanClicks} GROUP BY campaign_id, h, workspace_id`,
      [workspaceId, campaignId],
    );
  });
  core.events.emit('analytics.rollups.changed', { workspaceId, campaignIds: [campaignId] });
}

/** Rebuilds every campaign of a workspace (e.g. after an upgrade that added a counter). */
export async function rebuildWorkspaceRollups(core: CoreContext, workspaceId: number, onProgress?: (done: number, total: number) => Promise<void>): Promise<number> {
  const [rows] = await core.db.sql.query<RowDataPacket[]>("SELECT id FROM campaigns WHERE workspace_id = ? AND status <> 'DRAFT' ORDER BY id", [workspaceId]);
  for (const [i, r] of rows.entries()) {
    await rebuildCampaignRollups(core, { workspaceId, campaignId: r.id });
    await onProgress?.(i + 1, rows.length);
  }
  return rows.length;
}

/** True for a rollup row whose counters are all zero. */
export function zeroRowSql(): string {
  return COUNTER_COLUMNS.map((c) => `${c} = 0`).join(' AND ');
}
