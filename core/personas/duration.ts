// Time windows in rules are ISO 8601 durations restricted to exact units (weeks, days,
// hours, minutes, seconds): months and years have no fixed length, so "P1M" is refused
// rather than silently guessed.

const RE = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const MAX_SECONDS = 10 * 366 * 86_400;

/** Seconds in an ISO 8601 duration such as "P30D" or "PT1H", or an error message. */
export function parseDuration(raw: unknown): { seconds: number } | { error: string } {
  if (typeof raw !== 'string') return { error: 'expected an ISO 8601 duration string such as "P30D" or "PT1H"' };
  const m = RE.exec(raw.trim().toUpperCase());
  if (!m || raw.trim().toUpperCase() === 'P' || raw.trim().toUpperCase().endsWith('T')) {
    return { error: `"${raw}" is not an ISO 8601 duration in weeks, days, hours, minutes or seconds (e.g. "P30D", "PT1H", "P1DT12H")` };
  }
  const [w, d, h, min, s] = m.slice(1).map((v) => Number(v ?? 0));
  const seconds = (((w * 7 + d) * 24 + h) * 60 + min) * 60 + s;
  if (seconds <= 0) return { error: 'must be longer than zero' };
  if (seconds > MAX_SECONDS) return { error: 'must be at most 10 years' };
  return { seconds };
}
