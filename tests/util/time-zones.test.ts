// wallClock keeps each zone's offset for the last minute asked; it must give Intl's answer
// for every instant, across daylight-saving transitions and in zones with odd offsets.
import { formatWallClock, wallClock } from '../../core/util/time-zones';

const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'America/St_Johns', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/Sao_Paulo', 'Africa/Casablanca'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Instants around each transition of `tz` in [from, to), found hour by hour. */
function aroundTransitions(tz: string, from: number, to: number): number[] {
  const out: number[] = [];
  const offset = (t: number) => {
    const c = formatWallClock(tz, t);
    return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) - Math.floor(t / 1000) * 1000;
  };
  for (let t = from; t < to; t += HOUR) {
    if (offset(t) === offset(t + HOUR)) continue;
    // Every second of the minutes on both sides of the change, in time order.
    for (let s = t; s <= t + HOUR; s += 30_000) out.push(s, s + 999);
  }
  return out;
}

describe('wallClock', () => {
  test('matches Intl around every transition of 2025–2026 in zones with DST and odd offsets', () => {
    const from = Date.UTC(2025, 0, 1);
    const to = Date.UTC(2027, 0, 1);
    let checked = 0;
    for (const tz of ZONES) {
      const instants = aroundTransitions(tz, from, to);
      checked += instants.length;
      for (const at of instants) expect([tz, at, wallClock(tz, at)]).toEqual([tz, at, formatWallClock(tz, at)]);
    }
    // The zones above change offset at least 10 times in two years between them.
    expect(checked).toBeGreaterThan(10 * 2 * 121);
  });

  test('matches Intl for random instants, zones interleaved, going back and forth in time', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const span = Date.UTC(2040, 0, 1) - Date.UTC(1975, 0, 1);
    for (let i = 0; i < 5_000; i++) {
      const tz = ZONES[Math.floor(random() * ZONES.length)];
      const at = Date.UTC(1975, 0, 1) + Math.floor(random() * span);
      // A second call in the same minute is answered from the zone's memo.
      const near = at + Math.floor(random() * 1000) - 500;
      expect([tz, at, wallClock(tz, at)]).toEqual([tz, at, formatWallClock(tz, at)]);
      expect([tz, near, wallClock(tz, near)]).toEqual([tz, near, formatWallClock(tz, near)]);
    }
  });

  test('an unknown zone is a RangeError, every time', () => {
    expect(() => wallClock('Mars/Olympus_Mons', Date.now())).toThrow(RangeError);
    expect(() => wallClock('Mars/Olympus_Mons', Date.now())).toThrow(RangeError);
  });
});
