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
