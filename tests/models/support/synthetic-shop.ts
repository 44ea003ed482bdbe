// A small synthetic shop for model tests: each contact has a hidden purchase rate that stays
// the same over time, so past purchases predict future ones and a model has something real
// (but not trivial) to learn. Seeded: the same seed gives the same events.
import type { WorkspaceContext } from '../../../core/context';
import { trackEvents, type TrackEventInput } from '../../../core/events/track-events';
import { mulberry32 } from '../../../core/random/seeded-random';

const DAY = 86_400_000;

export interface ShopOptions {
  contacts?: number;
  days?: number;
  /** The last event is at about this time. */
  end?: Date;
  seed?: number;
  /** Multiplies every purchase rate (tiny values make positives rare). */
  purchaseScale?: number;
  /** Adds `upgrade` events with a `plan` property for EVENT targets. */
  upgrades?: boolean;
}

export interface Shop {
  end: Date;
  start: Date;
  events: number;
  contacts: number;
}

export async function seedShop(ctx: WorkspaceContext, opts: ShopOptions = {}): Promise<Shop> {
  const n = opts.contacts ?? 300;
  const days = opts.days ?? 240;
  const end = opts.end ?? new Date(Date.now() - DAY);
  const start = new Date(end.getTime() - days * DAY);
  const rnd = mulberry32(opts.seed ?? 7);
  const scale = opts.purchaseScale ?? 1;
  const events: TrackEventInput[] = [];
  for (let c = 0; c < n; c++) {
    // Purchase rate per day: most contacts rarely buy, a few buy often.
    const rate = (0.002 + 0.06 * rnd() ** 3) * scale;
    const browse = 0.05 + 0.3 * rnd();
    const loyal = rnd() < 0.3;
    for (let d = 0; d < days; d++) {
      const day = start.getTime() + d * DAY;
      const at = (h: number) => new Date(day + h * 3600_000 + Math.floor(rnd() * 3600_000));
      if (rnd() < browse) events.push({ type: 'page_view', externalId: `c${c}`, occurredAt: at(9) });
      if (rnd() < rate * (loyal ? 1.5 : 1)) {
        const category = rnd() < 0.5 ? 'shoes' : 'hats';
        events.push({ type: 'purchase', externalId: `c${c}`, occurredAt: at(12), value: Math.round(20 + 80 * rnd()), properties: { category } });
      }
      if (opts.upgrades && rnd() < rate / 2) {
        events.push({ type: 'upgrade', externalId: `c${c}`, occurredAt: at(15), properties: { plan: rnd() < 0.7 ? 'pro' : 'basic', seats: Math.ceil(rnd() * 10) } });
      }
    }
  }
  events.push({ type: 'page_view', externalId: 'c0', occurredAt: end });
  for (let i = 0; i < events.length; i += 10_000) {
    const r = await trackEvents(ctx, { events: events.slice(i, i + 10_000), source: 'test' });
    if (r.rejected.length) throw new Error(`seedShop: ${JSON.stringify(r.rejected.slice(0, 3))}`);
  }
  return { end, start, events: events.length, contacts: n };
}
