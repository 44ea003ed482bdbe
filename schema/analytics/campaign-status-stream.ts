// campaignStatusChanged's stream: the status changes announced through the pubsub, plus a
// catch-up after a Redis outage. While Redis was away, changes made by other processes (a
// worker finishing a send, the circuit breaker pausing it) were never announced here, and a
// campaign that finished meanwhile would look SENDING forever. On `pubsub.resynced`
// (api/pubsub-bridge.ts) the stream re-reads the statuses it watches and reports each one that
// differs from what this subscriber was last told, as one change from the status it knew to
// the status now (intermediate steps are lost; `reason` is the pause reason, if paused).
//
// Telling "changed" from "unchanged" needs to know what the subscriber knows: the stream sends
// changes only, so that is the status read when it subscribed, updated by every change sent
// since. It keeps that per campaign that can still change (not SENT or CANCELLED, which are
// final), so a workspace-wide subscription does not hold every campaign ever sent. A campaign
// created since the baseline keeps its final status too: unknown, it would be taken for a new
// draft, and every resync would report it moving from DRAFT to SENT again.
import { Repeater } from 'graphql-yoga';
import type { RowDataPacket } from 'mysql2/promise';
import { isRetryableLock, retryingLockConflicts } from '../../core/db/sql-helpers';
import type { AppPubSub } from '../pubsub';
import type { WorkspaceContext } from '../../core/context';
import { sharedLoad } from './metrics-loaders';
import '../../core/campaigns/campaign-events';

export interface StatusChange {
  workspaceId: number;
  campaignId: number;
  status: string;
  previousStatus: string;
  reason: string | null;
  at: Date;
}

/** Statuses no transition leaves (core/campaigns/campaign-controls.ts, core/delivery). */
const FINAL = new Set(['SENT', 'CANCELLED']);

interface StatusRow {
  id: number;
  status: string;
  pauseReason: string | null;
}

const readStatuses = (wctx: WorkspaceContext, only: number | null): Promise<StatusRow[]> =>
  wctx.db.prisma.campaign.findMany({ where: { workspaceId: wctx.workspaceId, ...(only === null ? {} : { id: only }) }, select: { id: true, status: true, pauseReason: true } });

/** How long the first read waits for a campaign row another transaction holds (seconds). */
const BASELINE_LOCK_WAIT_S = 1;

/** The locking read, on a connection of its own whose lock wait is set for it and then set back. */
async function lockingRead(wctx: WorkspaceContext, only: number | null): Promise<StatusRow[]> {
  const conn = await wctx.db.sql.getConnection();
  try {
    // A session setting, not MariaDB's SET STATEMENT: MySQL 8 is supported too.
    await conn.query('SET SESSION innodb_lock_wait_timeout = ?', [BASELINE_LOCK_WAIT_S]);
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT id, status, pause_reason FROM campaigns WHERE workspace_id = ? ${only === null ? '' : 'AND id = ?'} LOCK IN SHARE MODE`,
      only === null ? [wctx.workspaceId] : [wctx.workspaceId, only],
    );
    return rows.map((r) => ({ id: r.id, status: r.status, pauseReason: r.pause_reason }));
  } finally {
    // Never back into the pool with the short wait: other statements would fail on it.
    await conn.query('SET SESSION innodb_lock_wait_timeout = DEFAULT').then(
      () => conn.release(),
      () => conn.destroy(),
    );
  }
}

/**
 * The first read, which the catch-up compares ids with: "above the highest id it saw" must mean
 * "created after it". Ids are handed out before commit, so a campaign being created while a
 * plain read runs is not in it, though its id is lower than ones that are; taken for a final
 * campaign, its changes during an outage went unreported. A locking read waits for the
 * workspace's uncommitted inserts and includes them; any campaign created after it gets a higher
 * id. It holds shared row locks for one statement (a status update of the workspace waits that
 * long). It waits at most BASELINE_LOCK_WAIT_S for a row another transaction holds (a launch
 * holds its campaign's row while it snapshots the audience), so a burst of subscriptions cannot
 * hold the pool's connections for a whole launch: then, or after a second deadlock, it reads
 * without locks, and only a campaign committing during that read is left to the old rule.
 */
async function readBaseline(wctx: WorkspaceContext, only: number | null): Promise<StatusRow[]> {
  try {
    return await retryingLockConflicts(() => lockingRead(wctx, only), { attempts: 2 });
  } catch (err) {
    if (isRetryableLock(err)) return readStatuses(wctx, only);
    throw err;
  }
}

/** Status changes of campaign `only`, or of every campaign of the workspace (null). */
export function campaignStatusChanges(pubsub: AppPubSub, wctx: WorkspaceContext, only: number | null): AsyncIterable<StatusChange> {
  const workspaceId = wctx.workspaceId;
  return new Repeater<StatusChange>(async (push, stop) => {
    // The status this subscriber knows, per campaign that may still change.
    const known = new Map<number, string>();
    // Campaigns above this id were created after the baseline read, as drafts.
    let baselineMaxId = 0;
    let baselineRead = false;
    // Campaigns announced while a read is pending: the event is newer than the read.
    const trackers = new Set<Set<number>>();
    const track = () => {
      const t = new Set<number>();
      trackers.add(t);
      return t;
    };
    const send = (campaignId: number, status: string, previousStatus: string, reason: string | null) => {
      if (FINAL.has(status) && campaignId <= baselineMaxId) known.delete(campaignId);
      else known.set(campaignId, status);
      void push({ workspaceId, campaignId, status, previousStatus, reason, at: new Date() });
    };

    const detachEvents = pubsub.listen(['campaign.status.changed'], (_t, e) => {
      if (e.workspaceId !== workspaceId || (only !== null && e.campaignId !== only)) return;
      for (const t of trackers) t.add(e.campaignId);
      send(e.campaignId, e.status, e.previousStatus, e.reason ?? null);
    });

    // Reads run one after the other, each tracking from when it was asked for (not when it starts).
    let reads = Promise.resolve();
    let inFlight = 0;
    const read = (load: () => Promise<StatusRow[]>, apply: (rows: StatusRow[], announced: Set<number>) => void) => {
      const announced = track();
      inFlight++;
      reads = reads
        .then(async () => apply(await load(), announced))
        .catch(() => {}) // a failed re-read only means no catch-up; the live events still flow
        .finally(() => {
          inFlight--;
          trackers.delete(announced);
        });
    };

    read(
      () => readBaseline(wctx, only),
      (rows, announced) => {
        for (const r of rows) {
          baselineMaxId = Math.max(baselineMaxId, r.id);
          if (!announced.has(r.id) && !FINAL.has(r.status)) known.set(r.id, r.status);
        }
        baselineRead = true;
      },
    );
    const detachResync = pubsub.listen(['pubsub.resynced'], (_t, { seq }) => {
      // Every idle subscriber of this scope in the process shares one read per resync, started
      // now. One still reading (its baseline, an earlier resync) reads on its own when done: the
      // shared rows may be older than that read's, and would turn a status back (PAUSED → SENDING).
      const shared = inFlight === 0;
      read(
        () => (shared ? sharedLoad(`campaignStatuses:${workspaceId}:${only ?? '*'}:${seq}`, () => readStatuses(wctx, only)) : readStatuses(wctx, only)),
        (rows, announced) => {
          // Without a baseline every status would look new: better say nothing than invent changes.
          if (!baselineRead) return;
          for (const r of rows) {
            if (announced.has(r.id)) continue;
            // Not known: final when the baseline was read (so unchanged), or created since as a draft.
            const previous = known.get(r.id) ?? (r.id > baselineMaxId ? 'DRAFT' : r.status);
            if (previous !== r.status) send(r.id, r.status, previous, r.status === 'PAUSED' ? r.pauseReason : null);
          }
        },
      );
    });

    await stop;
    detachEvents();
    detachResync();
  });
}
