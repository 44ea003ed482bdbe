// The launch snapshot: every eligible recipient becomes a message row in one INSERT … SELECT,
// inside the transaction that moves the campaign out of DRAFT. Nothing is sent before this
// commits, and the recipient count is known from then on.
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import type { SqlFragment } from './contact-filter-sql';
import { countAudience, eligibilitySql, type AudienceCounts, type Category } from './audience';

export interface SnapshotArgs {
  campaignId: number;
  category: Category;
  audience: SqlFragment;
  /** The only variant, or null when an A/B test assigns variants afterwards. */
  variantId: number | null;
  /** QUEUED, or HELD when an A/B test picks its test group afterwards. */
  status: 'QUEUED' | 'HELD';
  sendAt: Date;
}

/** Inserts one message per eligible contact; returns the audience counts. */
export async function snapshotAudience(ctx: WorkspaceContext, conn: PoolConnection, args: SnapshotArgs): Promise<AudienceCounts & { inserted: number }> {
  const counts = await countAudience(ctx, args.audience, args.category, conn);
  const now = ctx.now();
  const [res] = await conn.query(
    `INSERT INTO messages (workspace_id, campaign_id, variant_id, contact_id, enrollment_id, email, status, send_at, created_at, updated_at)
     SELECT ?, ?, ?, c.id, 0, COALESCE(c.email, c.email_normalized), ?, ?, ?, ?
       FROM contacts c
      WHERE ${args.audience.sql} AND ${eligibilitySql(args.category)}`,
    [ctx.workspaceId, args.campaignId, args.variantId, args.status, args.sendAt, now, now, ...args.audience.params],
  );
  return { ...counts, inserted: (res as { affectedRows: number }).affectedRows };
}

/**
 * Picks the A/B test group: a deterministic pseudo-random order (CRC32 of campaign and
 * contact), the first `testSize` rows dealt round-robin to the variants; the rest stay HELD.
 */
export async function assignTestGroup(conn: PoolConnection, args: { campaignId: number; variantIds: number[]; testSize: number }): Promise<void> {
  const k = args.variantIds.length;
  const cases = args.variantIds.map((_, i) => `WHEN ${i} THEN ?`).join(' ');
  await conn.query(
    `UPDATE messages m JOIN (
        SELECT id, ROW_NUMBER() OVER (ORDER BY CRC32(CONCAT(?, ':', contact_id)), id) AS rn FROM messages WHERE campaign_id = ?
     ) r ON r.id = m.id
        SET m.variant_id = CASE MOD(r.rn - 1, ${k}) ${cases} END, m.status = 'QUEUED'
      WHERE r.rn <= ?`,
    [args.campaignId, args.campaignId, ...args.variantIds, args.testSize],
  );
}

/** The latest send time among the campaign's messages of a status (the end of the test send). */
export async function lastSendAt(conn: PoolConnection, campaignId: number, status: string): Promise<Date | null> {
  const [[row]] = await conn.query<RowDataPacket[]>('SELECT MAX(send_at) AS t FROM messages WHERE campaign_id = ? AND status = ?', [campaignId, status]);
  return row?.t ?? null;
}
