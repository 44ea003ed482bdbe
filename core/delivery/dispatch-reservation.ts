// Reserving a rendered batch for the provider: the SENDING → DISPATCHING step. For marketing
// campaigns this is where the frequency cap is decided for good. The pre-filter in
// recipient-checks.ts reads without locks, so two batches (two campaigns, in one worker or
// in several) sending to the same contact could both pass it; here, in one short transaction,
// the batch's contacts are locked, their recent marketing sends counted (in-flight DISPATCHING
// rows included, see frequency-cap.ts), the capped messages skipped and the rest marked
// DISPATCHING before the locks are released. A second batch to the same contacts waits for
// the first to commit and then sees its DISPATCHING rows. Nothing is locked while rendering
// or during the provider call. Transactional campaigns are exempt and lock nothing.
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';
import { retryingLockConflicts, withSqlTransaction } from '../db/sql-helpers';
import { announceRollupChanges, beginRollup, type RollupChanges } from '../analytics/rollup-writer';
import type { WorkspaceSettings } from '../workspaces/workspace-settings';
import { capVerdict, recentMarketingSends, type CapReason } from './frequency-cap';
import { markDispatching } from './message-claim';

export interface ReserveArgs {
  campaignId: number;
  category: 'MARKETING' | 'TRANSACTIONAL';
  /** Claimed (SENDING) messages under our lease, in the order they would be sent. */
  recipients: readonly { id: bigint; contactId: number }[];
  owner: string;
  /** Lease covering the provider call. */
  leaseMs: number;
  settings: WorkspaceSettings;
}

export interface Reservation {
  /** Now DISPATCHING under our lease: hand exactly these to the provider. */
  dispatching: bigint[];
  /** Stopped by the frequency cap; already recorded as SKIPPED. */
  skipped: { id: bigint; reason: CapReason }[];
}

/**
 * Marks a claimed batch DISPATCHING if its campaign is still live; for a marketing campaign,
 * first skips the recipients the frequency cap stops, atomically with any other batch to the
 * same contacts. Ids in neither list are still SENDING under our lease (campaign paused).
 */
export async function reserveDispatch(core: CoreContext, args: ReserveArgs): Promise<Reservation> {
  const ids = args.recipients.map((r) => r.id);
  if (args.category !== 'MARKETING' || !ids.length) {
    return { dispatching: await markDispatching(core, { campaignId: args.campaignId, ids, owner: args.owner, leaseMs: args.leaseMs }), skipped: [] };
  }
  // READ COMMITTED: the count must see whatever the batch that held the locks before us
  // committed, not a snapshot taken earlier in this transaction.
  const { reservation, changes } = await retryingLockConflicts(() => withSqlTransaction(core.db.sql, (conn) => reserveMarketing(core, conn, args), { readCommitted: true }));
  announceRollupChanges(core, changes);
  return reservation;
}

async function reserveMarketing(core: CoreContext, conn: PoolConnection, args: ReserveArgs): Promise<{ reservation: Reservation; changes: RollupChanges }> {
  // The shared lock keeps a pause or cancel from landing between the cap decision and the
  // DISPATCHING update; a batch of a campaign that is no longer live is left untouched.
  const [[campaign]] = await conn.query<RowDataPacket[]>('SELECT status FROM campaigns WHERE id = ? LOCK IN SHARE MODE', [args.campaignId]);
  if (campaign?.status !== 'SENDING' && campaign?.status !== 'ACTIVE') return { reservation: { dispatching: [], skipped: [] }, changes: new Map() };

  // Every reservation locks contacts in ascending id order, so two batches with overlapping
  // contacts queue behind each other instead of deadlocking.
  const contactIds = [...new Set(args.recipients.map((r) => r.contactId))].sort((a, b) => a - b);
  await conn.query('SELECT id FROM contacts WHERE id IN (?) ORDER BY id FOR UPDATE', [contactIds]);

  const now = core.now();
  const recent = await recentMarketingSends(conn, { contactIds, settings: args.settings, now });
  const skipped: Reservation['skipped'] = [];
  const keep: bigint[] = [];
  for (const r of args.recipients) {
    const reason = capVerdict(recent.get(r.contactId), args.settings, now);
    if (reason) {
      skipped.push({ id: r.id, reason });
      continue;
    }
    keep.push(r.id);
    // A triggered campaign can hold the same contact twice in one batch (re-entry): the
    // first message counts against the second as if sent now.
    recent.set(r.contactId, { count: (recent.get(r.contactId)?.count ?? 0) + 1, last: now });
  }

  // Skips move the skipped counters: recorded through the rollup writer, like recordSkips.
  const rollup = skipped.length ? await beginRollup(conn, skipped.map((s) => s.id)) : null;
  for (const reason of new Set(skipped.map((s) => s.reason))) {
    await conn.query(
      `UPDATE messages SET status = 'SKIPPED', skip_reason = ?, lease_owner = NULL, lease_until = NULL, updated_at = NOW(3)
        WHERE id IN (?) AND lease_owner = ? AND status = 'SENDING'`,
      [reason, skipped.filter((s) => s.reason === reason).map((s) => String(s.id)), args.owner],
    );
  }
  const dispatching = await markDispatching(core, { campaignId: args.campaignId, ids: keep, owner: args.owner, leaseMs: args.leaseMs }, conn);
  return { reservation: { dispatching, skipped }, changes: (await rollup?.finish()) ?? new Map() };
}
