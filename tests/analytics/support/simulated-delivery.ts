// Writes to messages and message_events shaped like the delivery code's, each in one
// transaction wrapped by the rollup writer exactly as the delivery choke points are: lock and
// remember (beginRollup), write, count (finish). These exercise the writer's contract on its own;
// tests/analytics/delivery-rollups.test.ts runs the real delivery code. Like that code, they
// retry a deadlock: test files run in parallel on one database, and InnoDB's gap locks on the
// shared indexes of messages/message_events can make two workspaces' writers deadlock.
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../../../core/context';
import { retryingLockConflicts, withSqlTransaction } from '../../../core/db/sql-helpers';
import { beginRollup } from '../../../core/analytics/rollup-writer';

export interface StatusUpdate {
  id: string;
  status: 'SENT' | 'FAILED' | 'SKIPPED' | 'UNCERTAIN' | 'QUEUED' | 'DELIVERED';
  skipReason?: string;
  sentAt?: Date;
  sendAt?: Date;
}

/** The worker's outcome updates for a batch. */
export async function recordStatuses(ctx: WorkspaceContext, updates: StatusUpdate[]): Promise<void> {
  await retryingLockConflicts(() => withSqlTransaction(ctx.db.sql, async (conn) => {
    const rollup = await beginRollup(conn, updates.map((u) => u.id));
    for (const u of updates) {
      await conn.query('UPDATE messages SET status = ?, skip_reason = COALESCE(?, skip_reason), sent_at = COALESCE(sent_at, ?), send_at = COALESCE(?, send_at) WHERE id = ?', [
        u.status, u.skipReason ?? null, u.sentAt ?? null, u.sendAt ?? null, u.id,
      ]);
    }
    await rollup.finish();
  }));
}

export interface SimEvent {
  messageId: string;
  type: 'delivered' | 'bounce' | 'dropped' | 'deferred' | 'open' | 'click' | 'spamreport' | 'unsubscribe' | 'conversion';
  occurredAt: Date;
  machine?: boolean;
  url?: string;
  bounceClass?: 'hard' | 'soft';
  value?: number;
  dedupeKey?: string;
}

/** Records events once per dedupe key (a replay inserts and counts nothing); returns how many were new. */
export async function recordEvents(ctx: WorkspaceContext, events: SimEvent[]): Promise<number> {
  return retryingLockConflicts(() => withSqlTransaction(ctx.db.sql, async (conn) => {
    const keys = events.flatMap((e) => (e.dedupeKey ? [e.dedupeKey] : []));
    const stored = new Set<string>();
    if (keys.length) {
      const [rows] = await conn.query<RowDataPacket[]>('SELECT dedupe_key FROM message_events WHERE workspace_id = ? AND dedupe_key IN (?) FOR UPDATE', [ctx.workspaceId, keys]);
      rows.forEach((r) => stored.add(r.dedupe_key));
    }
    const todo = events.filter((e) => !e.dedupeKey || (!stored.has(e.dedupeKey) && !!stored.add(e.dedupeKey)));
    if (!todo.length) return 0;
    const rollup = await beginRollup(conn, todo.map((e) => e.messageId));
    for (const e of todo) {
      const m = rollup.before.get(e.messageId)!;
      await conn.query(
        `INSERT INTO message_events (workspace_id, message_id, campaign_id, variant_id, contact_id, type, occurred_at, source, dedupe_key, machine, url, bounce_class, value)
         SELECT workspace_id, id, campaign_id, variant_id, contact_id, ?, ?, 'test', ?, ?, ?, ?, ? FROM messages WHERE id = ?`,
        [e.type, e.occurredAt, e.dedupeKey ?? null, e.machine ? 1 : 0, e.url ?? null, e.bounceClass ?? null, e.value ?? null, m.id],
      );
      const column = {
        delivered: 'delivered_at', bounce: 'bounced_at', open: e.machine ? 'machine_opened_at' : 'opened_at', click: e.machine ? null : 'clicked_at',
        spamreport: 'complained_at', unsubscribe: 'unsubscribed_at', conversion: 'converted_at', dropped: null, deferred: null,
      }[e.type];
      if (column) await conn.query(`UPDATE messages SET ${column} = COALESCE(${column}, ?) WHERE id = ?`, [e.occurredAt, e.messageId]);
      if (e.type === 'conversion') await conn.query('UPDATE messages SET revenue = COALESCE(revenue, 0) + ? WHERE id = ?', [e.value ?? 0, e.messageId]);
      // Engagement and delivery settle an UNCERTAIN message: it did go out.
      if (['delivered', 'open', 'click'].includes(e.type)) await conn.query("UPDATE messages SET status = 'DELIVERED' WHERE id = ? AND status IN ('SENT', 'UNCERTAIN')", [e.messageId]);
    }
    await rollup.finish(todo);
    return todo.length;
  }));
}
