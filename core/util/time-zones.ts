const cache = new Map<string, boolean>();

/** True when `tz` is an IANA time zone this runtime knows (e.g. "Europe/Paris"). */
export function isValidTimeZone(tz: string): boolean {
  let ok = cache.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    cache.set(tz, ok);
  }
  return ok;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** The last minute asked of each zone and its UTC offset then (ms to add to UTC). */
const lastOffset = new Map<string, { minute: number; offsetMs: number }>();

const MINUTE_MS = 60_000;

/**
 * The wall-clock date and time of instant `at` in `tz` (a RangeError for an unknown zone).
 * MariaDB's CONVERT_TZ needs time zone tables that are often not loaded, so local time is
 * computed here (send times, profile hours, day buckets) and joined into SQL as data.
 *
 * Intl's formatToParts costs ~10 µs a call and the sender asks once per recipient (quiet
 * hours) with the same instant for the whole batch, so each zone keeps the offset of the
 * last minute it was asked: offsets change at whole minutes in every zone tzdata holds for
 * dates after 1972 (the last odd-second offset, Africa/Monrovia's, ended that year).
 */
export function wallClock(tz: string, at: number): WallClock {
  const minute = Math.floor(at / MINUTE_MS);
  let known = lastOffset.get(tz);
  if (known?.minute !== minute) {
    const c = formatWallClock(tz, minute * MINUTE_MS);
    known = { minute, offsetMs: wallAsUtc(c) - minute * MINUTE_MS };
    lastOffset.set(tz, known);
  }
  const local = new Date(at + known.offsetMs);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/** wallClock without the per-zone memo: Intl's answer for `at` itself. */
export function formatWallClock(tz: string, at: number): WallClock {
  let f = clocks.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    clocks.set(tz, f);
  }
  const out: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of f.formatToParts(at)) if (p.type in out) out[p.type as keyof WallClock] = Number(p.value);
  return out;
}

/** The wall clock read as if it were UTC (epoch ms); setUTCFullYear keeps years below 100 as they are. */
function wallAsUtc(c: WallClock): number {
  const d = new Date(0);
  d.setUTCFullYear(c.year, c.month - 1, c.day);
  d.setUTCHours(c.hour, c.minute, c.second, 0);
  return d.getTime();
}
