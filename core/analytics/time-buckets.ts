// Hour rollups grouped into the buckets people read: hours (UTC instants) or days in the
// workspace's time zone. Zones with half-hour offsets get days that start on the UTC hour
// before local midnight (rollups are kept per UTC hour).
import { addCounts, emptyCounts, type Counts } from './metric-definitions';
import { wallClock } from '../util/time-zones';

export type BucketSize = 'HOUR' | 'DAY';

export interface StatsBucket {
  start: Date;
  counts: Counts;
}

/** The UTC instant at which the local day containing `at` starts in `tz` (floored to the hour). */
export function localDayStart(tz: string, at: number): number {
  const { hour, minute } = wallClock(tz, at);
  const sinceMidnightMs = (hour * 60 + minute) * 60_000;
  return Math.floor((at - sinceMidnightMs) / 3_600_000) * 3_600_000;
}

/** Groups hourly rows into buckets, oldest first. */
export function groupBuckets(rows: { bucketAt: Date; counts: Counts }[], size: BucketSize, tz: string): StatsBucket[] {
  const out = new Map<number, Counts>();
  for (const r of rows) {
    const key = size === 'HOUR' ? r.bucketAt.getTime() : localDayStart(tz, r.bucketAt.getTime());
    out.set(key, addCounts(out.get(key) ?? emptyCounts(), r.counts));
  }
  return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([start, counts]) => ({ start: new Date(start), counts }));
}
