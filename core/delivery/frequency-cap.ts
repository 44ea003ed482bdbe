// The workspace frequency cap: what counts as a marketing email a contact has already had,
// and the verdict for one more. Read twice per batch: as a cheap pre-filter before rendering
// (recipient-checks.ts) and, authoritatively, under the contacts' row locks at the moment
// the batch becomes DISPATCHING (dispatch-reservation.ts).
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { WorkspaceSettings } from '../workspaces/workspace-settings';

type Queryable = Pick<PoolConnection, 'query'>;

export interface RecentSends {
  count: number;
  /** When the latest of them went out (or may have): `now` for one still in flight. */
  last: Date;
}

export type CapReason = 'frequency_cap' | 'frequency_interval';

// A message counts once it may have reached the provider, not only once the provider said so,
// or two batches in flight at once would both see a clean slate:
// - accepted (sent_at set), at sent_at;
// - DISPATCHING: in a provider call right now, counted as sent now. If the call ends in a
//   retry the row goes back to QUEUED and stops counting; a rejection makes it FAILED;
// - UNCERTAIN (its worker died mid-call: it may have gone out), and rows a webhook moved on
//   (DELIVERED, BOUNCED, DROPPED) before the provider's answer set sent_at: at lease_until,
//   the end of the dispatch lease, the latest moment the call can have happened.
// SENDING rows (claimed, not yet dispatched) never count: they may still be skipped.
const RECENT_SQL = `
  SELECT m.contact_id, COUNT(*) AS n, MAX(m.sent_at) AS last_sent, MAX(m.status = 'DISPATCHING') AS in_flight,
         MAX(IF(m.sent_at IS NULL AND m.status <> 'DISPATCHING', m.lease_until, NULL)) AS last_unacked
    FROM messages m JOIN campaigns k ON k.id = m.campaign_id AND k.category = 'MARKETING'
   WHERE m.contact_id IN (?)
     AND (m.sent_at >= ?
          OR (m.sent_at IS NULL AND (m.status = 'DISPATCHING'
              OR (m.status IN ('UNCERTAIN', 'DELIVERED', 'BOUNCED', 'DROPPED') AND m.lease_until >= ?))))
   GROUP BY m.contact_id`;

/** Marketing messages each contact has had (or may have had) within the cap window: how many, and the latest. */
export async function recentMarketingSends(
  db: Queryable,
  args: { contactIds: readonly number[]; settings: WorkspaceSettings; now: Date },
): Promise<Map<number, RecentSends>> {
  if (!args.contactIds.length) return new Map();
  const since = new Date(args.now.getTime() - args.settings.frequencyCap.windowDays * 86_400_000);
  const [rows] = await db.query<RowDataPacket[]>(RECENT_SQL, [[...new Set(args.contactIds)], since, since]);
  return new Map(rows.map((r) => {
    const times = [r.last_sent, r.last_unacked, Number(r.in_flight) ? args.now : null].filter((t): t is Date => t instanceof Date).map((t) => t.getTime());
    return [r.contact_id, { count: Number(r.n), last: times.length ? new Date(Math.max(...times)) : args.now }];
  }));
}

/** Why one more marketing email to a contact with `recent` sends would break the cap, or null. */
export function capVerdict(recent: RecentSends | undefined, settings: WorkspaceSettings, now: Date): CapReason | null {
  if (!recent) return null;
  const cap = settings.frequencyCap;
  if (recent.count >= cap.maxMessages) return 'frequency_cap';
  if (now.getTime() - recent.last.getTime() < cap.minHoursBetween * 3600_000) return 'frequency_interval';
  return null;
}
