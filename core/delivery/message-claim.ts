// Claiming work. A batch is claimed with SELECT … FOR UPDATE SKIP LOCKED (so any number of
// workers take disjoint batches without waiting on each other) and leased: the rows become
// SENDING with an owner and an expiry. Just before the provider call they become DISPATCHING
// (for marketing campaigns together with the frequency cap decision: dispatch-reservation.ts).
// If a worker dies, its expired SENDING rows go back to QUEUED (they never reached the
// provider) and its expired DISPATCHING rows become UNCERTAIN: the provider may or may not
// have taken them, and we record that instead of sending again or pretending they were lost.
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';
import { withSqlTransaction } from '../db/sql-helpers';
import { reserveThrottle, type ThrottleTarget } from './throttle';
import { trackedWrite } from './tracked-write';

export interface ClaimArgs {
  campaignId: number;
  owner: string;
  limit: number;
  leaseMs: number;
  /** Per-campaign and per-channel limits; the claim takes no more than they allow this minute. */
  throttles: ThrottleTarget[];
}

export interface ClaimResult {
  ids: bigint[];
  /** Set when a throttle held the claim back: when to try again. */
  throttledUntil?: Date;
}

/** Claims up to `limit` due QUEUED messages of one campaign. */
export async function claimBatch(core: CoreContext, args: ClaimArgs): Promise<ClaimResult> {
  // READ COMMITTED: under REPEATABLE READ the scan also takes next-key locks past the end of
  // this campaign's range in messages_campaign_status_send_idx, so two campaigns claimed at
  // once deadlocked on each other's gaps, and SKIP LOCKED skipped the neighbour's first row.
  return withSqlTransaction(core.db.sql, async (conn) => {
    const now = core.now();
    const allowance = await reserveThrottle(conn, args.throttles, args.limit, now);
    if (allowance.allowed <= 0) return { ids: [], throttledUntil: allowance.retryAt };
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT id FROM messages WHERE campaign_id = ? AND status = 'QUEUED' AND send_at <= ?
        ORDER BY send_at, id LIMIT ? FOR UPDATE SKIP LOCKED`,
      [args.campaignId, now, allowance.allowed],
    );
    if (!rows.length) {
      await allowance.commit(0);
      return { ids: [] };
    }
    const ids = rows.map((r) => String(r.id));
    await conn.query(
      "UPDATE messages SET status = 'SENDING', lease_owner = ?, lease_until = ?, updated_at = ? WHERE id IN (?)",
      [args.owner, new Date(now.getTime() + args.leaseMs), now, ids],
    );
    await allowance.commit(rows.length);
    return { ids: ids.map(BigInt) };
  }, { readCommitted: true });
}

/**
 * Marks claimed messages as being handed to the provider, with a lease covering the call,
 * provided their campaign is still live (paused or cancelled meanwhile: nothing is marked).
 * Returns the ids now DISPATCHING under our lease. `conn`: run inside the caller's
 * transaction (marketing batches go through reserveDispatch, which applies the frequency cap).
 */
export async function markDispatching(
  core: CoreContext,
  args: { campaignId: number; ids: bigint[]; owner: string; leaseMs: number },
  conn: Pick<PoolConnection, 'query'> = core.db.sql,
): Promise<bigint[]> {
  if (!args.ids.length) return [];
  const now = core.now();
  const ids = args.ids.map(String);
  const [res] = await conn.query(
    `UPDATE messages m JOIN campaigns c ON c.id = ? AND c.status IN ('SENDING', 'ACTIVE')
        SET m.status = 'DISPATCHING', m.attempts = m.attempts + 1, m.lease_until = ?, m.updated_at = ?
      WHERE m.id IN (?) AND m.campaign_id = c.id AND m.status = 'SENDING' AND m.lease_owner = ?`,
    [args.campaignId, new Date(now.getTime() + args.leaseMs), now, ids, args.owner],
  );
  if ((res as { affectedRows: number }).affectedRows === ids.length) return args.ids;
  const [rows] = await conn.query<RowDataPacket[]>("SELECT id FROM messages WHERE id IN (?) AND status = 'DISPATCHING' AND lease_owner = ?", [ids, args.owner]);
  return rows.map((r) => BigInt(r.id));
}

/** Hands claimed (not yet dispatched) messages back, e.g. when the campaign was paused meanwhile. */
export async function releaseClaimed(core: CoreContext, args: { ids: bigint[]; owner: string; status?: 'QUEUED' | 'CANCELLED' }): Promise<void> {
  if (!args.ids.length) return;
  await core.db.sql.query(
    "UPDATE messages SET status = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id IN (?) AND status = 'SENDING' AND lease_owner = ?",
    [args.status ?? 'QUEUED', core.now(), args.ids.map(String), args.owner],
  );
}

/**
 * Recovers the leases of dead workers for one campaign; returns how many rows changed. The
 * expired rows are found with a plain read first and then updated by primary key (the
 * conditions re-checked), so live batches of other workers are never locked by the reaper.
 */
export async function reapExpiredLeases(core: CoreContext, campaignId: number): Promise<{ requeued: number; uncertain: number }> {
  const now = core.now();
  const [rows] = await core.db.sql.query<RowDataPacket[]>(
    "SELECT id, status FROM messages WHERE campaign_id = ? AND status IN ('SENDING', 'DISPATCHING') AND lease_until < ?",
    [campaignId, now],
  );
  const claimed = rows.filter((r) => r.status === 'SENDING').map((r) => String(r.id));
  const inFlight = rows.filter((r) => r.status === 'DISPATCHING').map((r) => String(r.id));
  let requeued = 0;
  let uncertain = 0;
  if (claimed.length) {
    const [a] = await core.db.sql.query(
      "UPDATE messages SET status = 'QUEUED', lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id IN (?) AND status = 'SENDING' AND lease_until < ?",
      [now, claimed, now],
    );
    requeued = (a as { affectedRows: number }).affectedRows;
  }
  if (inFlight.length) {
    // lease_owner is kept: if that worker was only slow, its late outcome still settles the message.
    const [b] = await trackedWrite(core, inFlight, (conn) => conn.query(
      `UPDATE messages SET status = 'UNCERTAIN', updated_at = ?,
              error = CONCAT('the worker (', COALESCE(lease_owner, '?'), ') stopped while the provider call was in flight; the provider may or may not have accepted it')
        WHERE id IN (?) AND status = 'DISPATCHING' AND lease_until < ?`,
      [now, inFlight, now],
    ));
    uncertain = (b as { affectedRows: number }).affectedRows;
  }
  return { requeued, uncertain };
}
