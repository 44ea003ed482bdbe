// UTC offsets of IANA zones over a period, as rows SQL can join on. MariaDB's CONVERT_TZ
// needs the server's time zone tables, which are often not loaded (they are not here), so
// the local hour of an event is computed as occurred_at + offset with the offset taken from
// the range that contains the event. Ranges follow daylight-saving transitions.

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(tz, f);
  }
  return f;
}

/** Minutes to add to a UTC instant to get the wall-clock time in `tz`. */
export function offsetMinutes(tz: string, at: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
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
