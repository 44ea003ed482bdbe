// Hour rollups grouped into the buckets people read: hours (UTC instants) or days in the
// workspace's time zone. Zones with half-hour offsets get days that start on the UTC hour
// before local midnight (rollups are kept per UTC hour).
import { addCounts, emptyCounts, type Counts } from './metric-definitions';

export type BucketSize = 'HOUR' | 'DAY';

export interface StatsBucket {
  start: Date;
  counts: Counts;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    formatters.set(tz, f);
  }
  return f;
}

/** The UTC instant at which the local day containing `at` starts in `tz` (floored to the hour). */
export function localDayStart(tz: string, at: number): number {
  const parts = Object.fromEntries(formatter(tz).formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  const sinceMidnightMs = (Number(parts.hour) * 60 + Number(parts.minute)) * 60_000;
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
