// UTC offsets of IANA zones over a period, as rows SQL can join on. MariaDB's CONVERT_TZ
// needs the server's time zone tables, which are often not loaded (they are not here), so
// the local hour of an event is computed as occurred_at + offset with the offset taken from
// the range that contains the event. Ranges follow daylight-saving transitions.
import { wallClock } from '../util/time-zones';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Minutes to add to a UTC instant to get the wall-clock time in `tz`. */
export function offsetMinutes(tz: string, at: number): number {
  const c = wallClock(tz, at);
  const wall = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute);
  return Math.round((wall - Math.floor(at / 60_000) * 60_000) / 60_000);
}

export interface OffsetRange {
  tz: string;
  from: Date;
  to: Date;
  offsetMinutes: number;
}

/** Constant-offset ranges covering [from, to) for each zone (transitions found to the hour). */
export function offsetRanges(zones: Iterable<string>, from: Date, to: Date): OffsetRange[] {
  const out: OffsetRange[] = [];
  const start = Math.floor(from.getTime() / HOUR) * HOUR;
  const end = Math.ceil(to.getTime() / HOUR) * HOUR;
  for (const tz of new Set(zones)) {
    let rangeStart = start;
    let current = offsetMinutes(tz, start);
    // Step a day at a time and look hour by hour only inside a day whose offset changed.
    for (let day = start; day < end; day += DAY) {
      const next = Math.min(day + DAY, end);
      if (offsetMinutes(tz, next) === current && next < end) continue;
      for (let t = day + HOUR; t <= next && t < end; t += HOUR) {
        const o = offsetMinutes(tz, t);
        if (o === current) continue;
        out.push({ tz, from: new Date(rangeStart), to: new Date(t), offsetMinutes: current });
        rangeStart = t;
        current = o;
      }
    }
    out.push({ tz, from: new Date(rangeStart), to: new Date(end), offsetMinutes: current });
  }
  return out;
}
