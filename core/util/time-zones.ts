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

/**
 * The wall-clock date and time of instant `at` in `tz` (a RangeError for an unknown zone).
 * MariaDB's CONVERT_TZ needs time zone tables that are often not loaded, so local time is
 * computed here (send times, profile hours, day buckets) and joined into SQL as data.
 */
export function wallClock(tz: string, at: number): WallClock {
  let f = clocks.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    clocks.set(tz, f);
  }
  const out: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of f.formatToParts(at)) if (p.type in out) out[p.type as keyof WallClock] = Number(p.value);
  return out;
}
