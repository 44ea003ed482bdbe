// Local-time arithmetic for send-time optimisation and quiet hours. MariaDB's CONVERT_TZ
// needs time zone tables that are often not loaded, so send times are computed here once per
// (time zone, hour) pair and joined in SQL; the number of pairs is tiny next to the audience.
import { wallClock } from '../util/time-zones';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Wall-clock hour, minute and second of instant `at` in `tz`. */
export function localTime(tz: string, at: number): { hour: number; minute: number; second: number } {
  const { hour, minute, second } = wallClock(tz, at);
  return { hour, minute, second };
}

/** The next instant after `at` where the local hour changes in `tz` (zones with :30/:45 offsets included). */
export function nextLocalHourStart(tz: string, at: number): number {
  const { minute, second } = localTime(tz, at);
  const ms = at % 1000;
  return at + (60 - minute) * MINUTE - second * 1000 - ms;
}

/** Local hours, with the instant each starts at, covering [from, from + hours): the first entry is `from` itself. */
export function localHourSlots(tz: string, from: number, hours: number): { at: number; hour: number }[] {
  const end = from + hours * HOUR;
  const slots = [{ at: from, hour: localTime(tz, from).hour }];
  for (let t = nextLocalHourStart(tz, from); t < end; t = nextLocalHourStart(tz, t)) slots.push({ at: t, hour: localTime(tz, t).hour });
  return slots;
}

/**
 * Send-time optimisation for one zone: for each wanted local hour 0–23, the first instant in
 * the window whose local hour it is; when the window does not contain that hour, the slot
 * whose hour is closest on the clock (ties: the earlier slot).
 */
export function stoSendTimes(tz: string, windowStart: Date, windowHours: number): Date[] {
  const slots = localHourSlots(tz, windowStart.getTime(), windowHours);
  const out: Date[] = [];
  for (let h = 0; h < 24; h++) {
    let best = slots[0];
    let bestDistance = 99;
    for (const s of slots) {
      const d = Math.min(Math.abs(s.hour - h), 24 - Math.abs(s.hour - h));
      if (d < bestDistance) {
        best = s;
        bestDistance = d;
        if (d === 0) break;
      }
    }
    out.push(new Date(best.at));
  }
  return out;
}

export interface QuietHours {
  startHour: number;
  endHour: number;
}

/** True when local hour `hour` falls in the quiet period (which may wrap midnight, e.g. 21 → 8). */
export function isQuietHour(hour: number, quiet: QuietHours | null): boolean {
  if (!quiet || quiet.startHour === quiet.endHour) return false;
  return quiet.startHour < quiet.endHour ? hour >= quiet.startHour && hour < quiet.endHour : hour >= quiet.startHour || hour < quiet.endHour;
}

/** `at` itself when it is outside quiet hours in `tz`, else the instant quiet hours end. */
export function outsideQuietHours(tz: string, at: Date, quiet: QuietHours | null): Date {
  let t = at.getTime();
  for (let i = 0; i < 26 && isQuietHour(localTime(tz, t).hour, quiet); i++) t = nextLocalHourStart(tz, t);
  return new Date(t);
}
