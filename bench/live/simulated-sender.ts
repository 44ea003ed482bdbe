// `--driver simulated`: this process plays the worker, with no provider and no rendering —
// it marks batches of the campaign's queued messages SENT through the rollup writer (as the
// sender's outcome transaction does) and announces each batch on its bus, bridged to Redis.
// It isolates the live pipeline (rollups → Redis → API → subscribers) from sending costs.
import type { RowDataPacket } from 'mysql2/promise';
import type { BenchWorld } from './bench-data';
import { withSqlTransaction } from '../../core/db/sql-helpers';
import { beginRollup } from '../../core/analytics/rollup-writer';

export async function simulateSending(world: BenchWorld, args: { campaignId: number; batch: number; intervalMs: number; maxBatches?: number }): Promise<number> {
  let sent = 0;
  for (let batches = 0; ; batches++) {
    if (batches >= (args.maxBatches ?? Infinity)) return sent;
    const t0 = Date.now();
    const n = await withSqlTransaction(world.core.db.sql, async (conn) => {
      const [rows] = await conn.query<RowDataPacket[]>("SELECT id FROM messages WHERE campaign_id = ? AND status = 'QUEUED' ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED", [args.campaignId, args.batch]);
      if (!rows.length) return 0;
      const ids = rows.map((r) => String(r.id));
      const rollup = await beginRollup(conn, ids);
      await conn.query("UPDATE messages SET status = 'SENT', sent_at = NOW(3), attempts = attempts + 1 WHERE id IN (?)", [ids]);
      await rollup.finish();
      return ids.length;
    });
    if (!n) return sent;
    sent += n;
    world.core.events.emit('analytics.rollups.changed', { workspaceId: world.ctx.workspaceId, campaignIds: [args.campaignId] });
    await new Promise((r) => setTimeout(r, Math.max(0, args.intervalMs - (Date.now() - t0))));
  }
}
