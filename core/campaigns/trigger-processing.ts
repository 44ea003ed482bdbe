// Enrollments whose delay has passed: exit when the exit event happened since entry (e.g. a
// purchase after the add_to_cart), otherwise the contact gets a message row, queued now,
// through the same sender, checks and tracking as broadcasts. Claimed with SKIP LOCKED, so
// schedulers in several processes share the work without doing any of it twice.
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';
import { forWorkspace } from '../context';
import { withSqlTransaction } from '../db/sql-helpers';
import { audienceSql, eligibilitySql, type Category } from './audience';
import type { AudienceSpec, TriggerSpec } from './campaign-input';
import { inWorkspace, wsParams, type Scope } from '../delivery/delivery-maintenance';
import { addRollupChange, announceRollupChanges, rollupMessagesCreated, type RollupChanges } from '../analytics/rollup-writer';

export interface ProcessResult {
  messages: number;
  exited: number;
  skipped: number;
}

/** Processes up to `limit` due enrollments of ACTIVE campaigns. */
export async function processDueEnrollments(core: CoreContext, limit = 1000, scope: Scope = {}): Promise<ProcessResult> {
  // Campaigns that got message rows (their recipients counter moved), announced once committed.
  const created: RollupChanges = new Map();
  // READ COMMITTED: under REPEATABLE READ the scan keeps locks on every row it read, other
  // workspaces' included, and their schedulers' SKIP LOCKED then passes over their own due rows.
  const result = await withSqlTransaction(core.db.sql, async (conn) => {
    const now = core.now();
    const [due] = await conn.query<RowDataPacket[]>(
      `SELECT te.id, te.campaign_id FROM trigger_enrollments te
        WHERE te.status = 'WAITING' AND te.due_at <= ? ${inWorkspace(scope, 'te.')}
          AND EXISTS (SELECT 1 FROM campaigns c WHERE c.id = te.campaign_id AND c.status = 'ACTIVE')
        ORDER BY te.due_at LIMIT ? FOR UPDATE SKIP LOCKED`,
      [now, ...wsParams(scope), limit],
    );
    const result: ProcessResult = { messages: 0, exited: 0, skipped: 0 };
    const byCampaign = new Map<number, string[]>();
    for (const r of due) byCampaign.set(r.campaign_id, [...(byCampaign.get(r.campaign_id) ?? []), String(r.id)]);
    for (const [campaignId, ids] of byCampaign) {
      const [[c]] = await conn.query<RowDataPacket[]>('SELECT workspace_id, category, audience, `trigger` FROM campaigns WHERE id = ?', [campaignId]);
      const trigger = (typeof c.trigger === 'string' ? JSON.parse(c.trigger) : c.trigger) as TriggerSpec;
      result.exited += await exitOnEvent(conn, ids, trigger, now);
      const made = await createMessages(core, conn, { campaignId, workspaceId: c.workspace_id, category: c.category, audience: parseJson(c.audience), ids, now });
      result.messages += made;
      if (made) addRollupChange(created, c.workspace_id, campaignId);
      const [skipped] = await conn.query(
        "UPDATE trigger_enrollments SET status = 'SKIPPED', exit_reason = 'not eligible: no address or consent, suppressed, or outside the audience', processed_at = ? WHERE id IN (?) AND status = 'WAITING'",
        [now, ids],
      );
      result.skipped += (skipped as { affectedRows: number }).affectedRows;
    }
    return result;
  }, { readCommitted: true });
  announceRollupChanges(core, created);
  return result;
}

async function exitOnEvent(conn: PoolConnection, ids: string[], trigger: TriggerSpec, now: Date): Promise<number> {
  if (!trigger.exitEventType) return 0;
  const [res] = await conn.query(
    `UPDATE trigger_enrollments te SET te.status = 'EXITED', te.exit_reason = ?, te.processed_at = ?
      WHERE te.id IN (?) AND EXISTS (SELECT 1 FROM events e WHERE e.contact_id = te.contact_id AND e.type = ? AND e.occurred_at >= te.entered_at AND e.occurred_at <= ?)`,
    [`exit event "${trigger.exitEventType}" happened`, now, ids, trigger.exitEventType, now],
  );
  return (res as { affectedRows: number }).affectedRows;
}

async function createMessages(
  core: CoreContext,
  conn: PoolConnection,
  args: { campaignId: number; workspaceId: number; category: Category; audience: AudienceSpec | null; ids: string[]; now: Date },
): Promise<number> {
  const ctx = forWorkspace(core, args.workspaceId, { type: 'system', name: 'triggers' });
  const audience = await audienceSql(ctx, args.audience, ['audience']);
  const [res] = await conn.query(
    `INSERT IGNORE INTO messages (workspace_id, campaign_id, variant_id, contact_id, enrollment_id, email, status, send_at, created_at, updated_at)
     SELECT te.workspace_id, te.campaign_id, v.id, te.contact_id, te.id, COALESCE(c.email, c.email_normalized), 'QUEUED', ?, ?, ?
       FROM trigger_enrollments te
       JOIN contacts c ON c.id = te.contact_id
       JOIN campaign_variants v ON v.campaign_id = te.campaign_id AND v.position = 0
      WHERE te.id IN (?) AND te.status = 'WAITING' AND ${audience.sql} AND ${eligibilitySql(args.category)}`,
    [args.now, args.now, args.now, args.ids, ...audience.params],
  );
  await conn.query(
    `UPDATE trigger_enrollments te JOIN messages m ON m.campaign_id = te.campaign_id AND m.contact_id = te.contact_id AND m.enrollment_id = te.id
        SET te.status = 'SENT', te.message_id = m.id, te.processed_at = ?
      WHERE te.id IN (?) AND te.status = 'WAITING'`,
    [args.now, args.ids],
  );
  await rollupMessagesCreated(conn, { enrollmentIds: args.ids });
  return (res as { affectedRows: number }).affectedRows;
}

function parseJson<T>(v: unknown): T | null {
  if (v == null) return null;
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}
