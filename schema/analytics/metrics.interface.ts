// The `Metrics` interface: every counter and rate of docs/metrics.md, shared by every slice
// (campaign, variant, persona, time bucket, overview period). Rates come from
// core/analytics/metric-definitions.ts, so they are computed the same way everywhere.
import { builder } from '../builder';
import { deliveredOf, ratesOf, type CounterKey, type Counts, type RateKey, type Rates } from '../../core/analytics/metric-definitions';

export interface MetricsParent {
  counts: Counts;
}

const COUNTER_FIELDS: [string, CounterKey, string][] = [
  ['recipients', 'recipients', 'Messages created for the campaign (the launch snapshot, plus triggered sends).'],
  ['sent', 'sent', 'Accepted by the provider.'],
  ['failed', 'failed', 'Refused for good by the provider, retries exhausted, or not renderable.'],
  ['uncertain', 'uncertain', 'The worker stopped while the provider call was in flight: may or may not have gone out (until settled).'],
  ['skipped', 'skipped', 'Not sent on purpose: frequency cap, suppression, consent, deleted contact.'],
  ['skippedFrequencyCap', 'skippedFrequency', 'Skipped by the frequency cap (count or minimum interval).'],
  ['skippedSuppressed', 'skippedSuppressed', 'Skipped because the address is suppressed.'],
  ['deliveryConfirmed', 'deliveryConfirmed', 'Messages the provider confirmed delivered (not every provider reports it).'],
  ['bounced', 'bounced', 'Messages that bounced.'],
  ['hardBounced', 'bouncedHard', 'Bounced messages whose first bounce was hard (or unclassified).'],
  ['softBounced', 'bouncedSoft', 'Bounced messages whose first bounce was soft.'],
  ['dropped', 'dropped', 'Messages the provider dropped (refused to deliver), each counted once; never also counted as bounced.'],
  ['opened', 'opened', 'Unique opens by people: messages with a human open or click (machine prefetch excluded).'],
  ['openedIncludingMachine', 'openedAny', 'Unique opens counting machine prefetch (e.g. Apple Mail Privacy Protection).'],
  ['opens', 'opens', 'Total human opens.'],
  ['opensIncludingMachine', 'opensAny', 'Total opens, machine prefetch included.'],
  ['clicked', 'clicked', 'Unique clicks: messages with a human click.'],
  ['clicks', 'clicks', 'Total human clicks.'],
  ['conversions', 'conversions', 'Messages with an attributed conversion.'],
  ['unsubscribes', 'unsubscribes', 'Messages whose recipient unsubscribed from them.'],
  ['complaints', 'complaints', 'Messages reported as spam.'],
];

const RATE_FIELDS: [RateKey, string][] = [
  ['openRate', 'opened / delivered.'],
  ['openRateIncludingMachine', 'openedIncludingMachine / delivered.'],
  ['clickRate', 'clicked / delivered.'],
  ['clickToOpenRate', 'clicked / opened.'],
  ['conversionRate', 'conversions / delivered.'],
  ['bounceRate', 'bounced / sent.'],
  ['unsubscribeRate', 'unsubscribes / delivered.'],
  ['complaintRate', 'complaints / delivered.'],
];

// Every rate field of a slice asks for its rates: compute them once per counts object.
const rateMemo = new WeakMap<Counts, Rates>();
function rates(c: Counts): Rates {
  let r = rateMemo.get(c);
  if (!r) rateMemo.set(c, (r = ratesOf(c)));
  return r;
}

export const MetricsRef = builder.interfaceRef<MetricsParent>('Metrics').implement({
  description: 'Counters and rates of a slice of messages; definitions in docs/metrics.md. Rates are in [0, 1], null when their denominator is 0.',
  fields: (t) => ({
    ...Object.fromEntries(COUNTER_FIELDS.map(([name, key, description]) => [name, t.int({ description, resolve: (p) => p.counts[key] })])),
    delivered: t.int({ description: 'sent − bounced − dropped: reached a mailbox as far as we know (the denominator of the rates).', resolve: (p) => deliveredOf(p.counts) }),
    revenue: t.float({ description: 'Sum of the attributed conversions\' values.', resolve: (p) => p.counts.revenue }),
    ...Object.fromEntries(RATE_FIELDS.map(([key, description]) => [key, t.float({ nullable: true, description, resolve: (p) => rates(p.counts)[key] })])),
  }),
});
