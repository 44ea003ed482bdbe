// The list of counter changes of one campaign, as the bench measures latency from them.
//
// A "counter change" is one write of the campaign's rollup rows, identified by the time it
// was written: `updated_at`, set by NOW(3) in the writing transaction (the sender's outcome
// transaction), so a few milliseconds BEFORE its commit. Every payload of campaignStats
// carries `updatedAt`, the newest such time among the rows it read, so a payload includes
// every change written at or before its `updatedAt`.
//
// Every writer announces its commit with an event (analytics.rollups.changed, message.events.applied
// …, reaching this process through Redis like the API's). After each one we read the
// campaign's newest `updated_at`: each distinct value is one change. Two commits between an
// event and our read show up as the newer one only; `events` vs `changes` shows how often.
import type { RowDataPacket } from 'mysql2/promise';
import type { Pool } from 'mysql2/promise';
import type { AppPubSub } from '../../schema/pubsub';
import { STATS_CHANGE_TOPICS } from '../../schema/analytics/live-stats-feed';

export interface ChangeLog {
  /** Write times (ms) of the changes seen since `start`, ascending. */
  changes(): number[];
  /** For each change, in the order of `changes()`: its event's arrival here − its write time (commit, announcement, Redis). */
  announced(): number[];
  events(): number;
  stop(): Promise<void>;
}

export function recordChanges(args: { pubsub: AppPubSub; sql: Pool; campaignId: number; since: number }): ChangeLog {
  const seen = new Map<number, number>();
  let events = 0;
  let reading: Promise<void> | null = null;
  let again = false;
  let lastEventAt = 0;
  const read = async () => {
    const eventAt = lastEventAt;
    const [rows] = await args.sql.query<RowDataPacket[]>('SELECT MAX(updated_at) AS at FROM campaign_rollups WHERE campaign_id = ? AND persona_id = 0', [args.campaignId]);
    const at = rows[0]?.at as Date | null;
    if (at && at.getTime() >= args.since && !seen.has(at.getTime())) seen.set(at.getTime(), eventAt - at.getTime());
  };
  const onEvent = () => {
    lastEventAt = Date.now();
    if (reading) return void (again = true);
    reading = (async () => {
      do {
        again = false;
        await read();
      } while (again);
    })().finally(() => (reading = null));
  };
  const detach = args.pubsub.listen(STATS_CHANGE_TOPICS, (_topic, payload) => {
    const e = payload as { campaignId?: number; campaignIds?: number[] };
    if (e.campaignId === args.campaignId || e.campaignIds?.includes(args.campaignId)) {
      events++;
      onEvent();
    }
  });
  return {
    changes: () => [...seen.keys()].sort((a, b) => a - b),
    announced: () => [...seen.keys()].sort((a, b) => a - b).map((at) => seen.get(at)!),
    events: () => events,
    async stop() {
      detach();
      await reading;
    },
  };
}
