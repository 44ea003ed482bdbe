// The campaign metrics, defined once. docs/metrics.md explains each in words; everything that
// shows a figure (GraphQL fields, the overview, subscriptions, benchmarks) goes through
// these functions so a rate means the same thing everywhere.

/** Counters stored in campaign_rollups: the GraphQL-facing key and its column. */
export const COUNTERS = [
  ['recipients', 'recipients'],
  ['sent', 'sent'],
  ['failed', 'failed'],
  ['uncertain', 'uncertain'],
  ['skipped', 'skipped'],
  ['skippedFrequency', 'skipped_frequency'],
  ['skippedSuppressed', 'skipped_suppressed'],
  ['deliveryConfirmed', 'delivery_confirmed'],
  ['bounced', 'bounced'],
  ['bouncedHard', 'bounced_hard'],
  ['bouncedSoft', 'bounced_soft'],
  ['dropped', 'dropped'],
  ['opened', 'opened'],
  ['openedAny', 'opened_any'],
  ['opens', 'opens'],
  ['opensAny', 'opens_any'],
  ['clicked', 'clicked'],
  ['clicks', 'clicks'],
  ['conversions', 'conversions'],
  ['revenue', 'revenue'],
  ['unsubscribes', 'unsubscribes'],
  ['complaints', 'complaints'],
] as const;

export type CounterKey = (typeof COUNTERS)[number][0];

/** Summed counters of some slice (campaign, variant, persona, hour, period). Revenue in currency units. */
export type Counts = Record<CounterKey, number>;

export const COUNTER_KEYS: CounterKey[] = COUNTERS.map(([k]) => k);
export const COUNTER_COLUMNS: string[] = COUNTERS.map(([, c]) => c);

export function emptyCounts(): Counts {
  const out = {} as Counts;
  for (const k of COUNTER_KEYS) out[k] = 0;
  return out;
}

/** Adds `b` into `a` (revenue kept to 4 decimals, as stored). */
export function addCounts(a: Counts, b: Counts): Counts {
  for (const k of COUNTER_KEYS) a[k] = k === 'revenue' ? Math.round((a[k] + b[k]) * 10_000) / 10_000 : a[k] + b[k];
  return a;
}

/** Counts from a SQL row whose columns are named as in campaign_rollups (SUMs come back as strings or numbers). */
export function countsFromRow(row: Record<string, unknown>): Counts {
  const out = {} as Counts;
  // A plain loop: this runs for every row of every dashboard page.
  for (let i = 0; i < COUNTERS.length; i++) out[COUNTERS[i][0]] = Number(row[COUNTERS[i][1]] ?? 0);
  return out;
}

/** `SUM(col) AS col, …` over every counter column (optionally qualified by a table alias). */
export function sumColumnsSql(alias = ''): string {
  const p = alias ? `${alias}.` : '';
  return COUNTER_COLUMNS.map((c) => `SUM(${p}${c}) AS ${c}`).join(', ');
}

/**
 * Messages that reached a mailbox as far as we know: accepted by the provider and neither
 * bounced nor dropped. The denominator of the engagement rates, so that providers that never
 * confirm delivery (SMTP, the outbox) still get meaningful rates.
 */
export function deliveredOf(c: Counts): number {
  return Math.max(0, c.sent - c.bounced - c.dropped);
}

export interface Rates {
  openRate: number | null;
  openRateIncludingMachine: number | null;
  clickRate: number | null;
  clickToOpenRate: number | null;
  conversionRate: number | null;
  bounceRate: number | null;
  unsubscribeRate: number | null;
  complaintRate: number | null;
}

/** A share in [0, 1], or null when there is nothing to divide by. */
export function ratio(numerator: number, denominator: number): number | null {
  if (denominator <= 0) return null;
  return Math.min(1, Math.max(0, numerator / denominator));
}

/** Every rate of docs/metrics.md, from counters. */
export function ratesOf(c: Counts): Rates {
  const delivered = deliveredOf(c);
  return {
    openRate: ratio(c.opened, delivered),
    openRateIncludingMachine: ratio(c.openedAny, delivered),
    clickRate: ratio(c.clicked, delivered),
    clickToOpenRate: ratio(c.clicked, c.opened),
    conversionRate: ratio(c.conversions, delivered),
    bounceRate: ratio(c.bounced, c.sent),
    unsubscribeRate: ratio(c.unsubscribes, delivered),
    complaintRate: ratio(c.complaints, delivered),
  };
}

export type RateKey = keyof Rates;
export const RATE_KEYS: RateKey[] = ['openRate', 'openRateIncludingMachine', 'clickRate', 'clickToOpenRate', 'conversionRate', 'bounceRate', 'unsubscribeRate', 'complaintRate'];
