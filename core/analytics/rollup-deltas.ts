// What a change to messages means for the counters, as pure functions (no database).
//
// Two kinds of counters (docs/metrics.md):
// - state counters follow the message row: recipients (by creation hour), sent and dropped (by
//   sent_at), failed / skipped / uncertain (by send_at, while the message is in that status). The change
//   a transaction makes is contribution(after) − contribution(before), whatever the update did.
// - event counters follow message_events: a unique counter counts a message once, at the first
//   event that qualifies (by insertion order); totals count every qualifying event.
// The rebuild (rollup-rebuild.ts) computes the same definitions in SQL from the raw rows.
import { createHash } from 'node:crypto';
import type { CounterKey } from './metric-definitions';

/** The columns of a messages row the counters depend on. */
export interface MessageState {
  id: string;
  workspaceId: number;
  campaignId: number;
  /** 0 when the message has no variant yet. */
  variantId: number;
  status: string;
  skipReason: string | null;
  sendAt: Date;
  createdAt: Date;
  sentAt: Date | null;
  deliveredAt: Date | null;
  bouncedAt: Date | null;
  openedAt: Date | null;
  machineOpenedAt: Date | null;
  clickedAt: Date | null;
  complainedAt: Date | null;
  unsubscribedAt: Date | null;
  convertedAt: Date | null;
}

/** A message event as recorded (the fields the counters read). */
export interface RollupEvent {
  messageId: bigint | string;
  type: string;
  occurredAt: Date;
  machine?: boolean | null;
  url?: string | null;
  bounceClass?: 'hard' | 'soft' | null;
  value?: number | null;
}

/** A change to one message's counters in one hour. Revenue is in ten-thousandths (exact sums). */
export interface Delta {
  messageId: string;
  workspaceId: number;
  campaignId: number;
  variantId: number;
  bucketAt: number;
  counts: Partial<Record<CounterKey, number>>;
}

export interface LinkClick {
  messageId: string;
  workspaceId: number;
  campaignId: number;
  url: string;
  urlHash: string;
}

const HOUR_MS = 3_600_000;

/** Start of the UTC hour `d` falls in (epoch ms). */
export function hourOf(d: Date): number {
  return Math.floor(d.getTime() / HOUR_MS) * HOUR_MS;
}

/** Hex SHA-256 prefix naming a URL (the same as tracked_links.url_hash and SQL LEFT(SHA2(url, 256), 32)). */
export function urlHash(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 32);
}

/** Skip reasons that count as "skipped by the frequency cap". */
export const FREQUENCY_SKIP_REASONS = ['frequency_cap', 'frequency_interval'];
export const SUPPRESSED_SKIP_REASONS = ['suppressed'];

/** The state counters one message row contributes, per hour. */
export function stateContributions(s: MessageState): Delta[] {
  const base = { messageId: s.id, workspaceId: s.workspaceId, campaignId: s.campaignId, variantId: s.variantId };
  const out: Delta[] = [{ ...base, bucketAt: hourOf(s.createdAt), counts: { recipients: 1 } }];
  if (s.sentAt) out.push({ ...base, bucketAt: hourOf(s.sentAt), counts: { sent: 1, ...(isDropped(s) ? { dropped: 1 } : {}) } });
  const atSend = hourOf(s.sendAt);
  if (s.status === 'FAILED') out.push({ ...base, bucketAt: atSend, counts: { failed: 1 } });
  if (s.status === 'UNCERTAIN') out.push({ ...base, bucketAt: atSend, counts: { uncertain: 1 } });
  if (s.status === 'SKIPPED') {
    const reason = s.skipReason ?? '';
    out.push({
      ...base,
      bucketAt: atSend,
      counts: { skipped: 1, ...(FREQUENCY_SKIP_REASONS.includes(reason) ? { skippedFrequency: 1 } : {}), ...(SUPPRESSED_SKIP_REASONS.includes(reason) ? { skippedSuppressed: 1 } : {}) },
    });
  }
  return out;
}

/**
 * Dropped is a state, not a count of events: delivered = sent − bounced − dropped must subtract
 * a message once, however many dropped events the provider sends. A message that bounced
 * counts as bounced only (a dropped one that bounces later moves from dropped to bounced; the
 * status of a bounced one stays BOUNCED). Only a sent one, since it is subtracted from sent
 * (a DROPPED message has sent_at, set by the event if no answer did). SQL twin below.
 */
export function isDropped(s: MessageState): boolean {
  return s.status === 'DROPPED' && !s.bouncedAt && !!s.sentAt;
}
export const DROPPED_SQL = "m.status = 'DROPPED' AND m.bounced_at IS NULL AND m.sent_at IS NOT NULL";
/** A message that counts in delivered = sent − bounced − dropped (for per-message filters, e.g. A/B tests). */
export const DELIVERED_SQL = "m.sent_at IS NOT NULL AND m.bounced_at IS NULL AND m.status <> 'DROPPED'";

/** contribution(after) − contribution(before); a message that did not exist before has `before` null. */
export function stateDeltas(before: MessageState | null, after: MessageState | null): Delta[] {
  const negated = (before ? stateContributions(before) : []).map((d) => ({ ...d, counts: negate(d.counts) }));
  return [...negated, ...(after ? stateContributions(after) : [])];
}

function negate(c: Delta['counts']): Delta['counts'] {
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, -(v as number)]));
}

/**
 * Unique counters: which events qualify (in JS and in SQL, kept side by side so they cannot
 * drift apart) and which summary column of messages says the message already has one.
 */
export const UNIQUE_COUNTERS: { key: CounterKey; qualifies: (e: RollupEvent) => boolean; sql: string; seen: (s: MessageState) => boolean }[] = [
  { key: 'deliveryConfirmed', qualifies: (e) => e.type === 'delivered', sql: "type = 'delivered'", seen: (s) => !!s.deliveredAt },
  { key: 'bounced', qualifies: (e) => e.type === 'bounce', sql: "type = 'bounce'", seen: (s) => !!s.bouncedAt },
  // A human click implies the message was opened (images off): opened counts it too.
  { key: 'opened', qualifies: (e) => !e.machine && (e.type === 'open' || e.type === 'click'), sql: "machine = 0 AND type IN ('open', 'click')", seen: (s) => !!(s.openedAt || s.clickedAt) },
  { key: 'openedAny', qualifies: (e) => e.type === 'open' || (e.type === 'click' && !e.machine), sql: "(type = 'open' OR (type = 'click' AND machine = 0))", seen: (s) => !!(s.openedAt || s.machineOpenedAt || s.clickedAt) },
  { key: 'clicked', qualifies: (e) => e.type === 'click' && !e.machine, sql: "type = 'click' AND machine = 0", seen: (s) => !!s.clickedAt },
  { key: 'complaints', qualifies: (e) => e.type === 'spamreport', sql: "type = 'spamreport'", seen: (s) => !!s.complainedAt },
  { key: 'unsubscribes', qualifies: (e) => e.type === 'unsubscribe', sql: "type = 'unsubscribe'", seen: (s) => !!s.unsubscribedAt },
  { key: 'conversions', qualifies: (e) => e.type === 'conversion', sql: "type = 'conversion'", seen: (s) => !!s.convertedAt },
];

/** Totals: every qualifying event counts (revenue adds the conversion's value). SQL twins in rollup-rebuild.ts. */
export const TOTAL_COUNTERS: { key: CounterKey; amount: (e: RollupEvent) => number; sql: string }[] = [
  { key: 'opens', amount: (e) => (e.type === 'open' && !e.machine ? 1 : 0), sql: "type = 'open' AND machine = 0" },
  { key: 'opensAny', amount: (e) => (e.type === 'open' ? 1 : 0), sql: "type = 'open'" },
  { key: 'clicks', amount: (e) => (e.type === 'click' && !e.machine ? 1 : 0), sql: "type = 'click' AND machine = 0" },
  { key: 'revenue', amount: (e) => (e.type === 'conversion' ? Math.round((e.value ?? 0) * 10_000) : 0), sql: "type = 'conversion'" },
];

/**
 * Counters for freshly recorded events (in insertion order), given each message's state
 * before they were recorded. Also returns the human clicks on links (for top links).
 */
export function eventDeltas(before: Map<string, MessageState>, events: readonly RollupEvent[]): { deltas: Delta[]; clicks: LinkClick[] } {
  const deltas: Delta[] = [];
  const clicks: LinkClick[] = [];
  const counted = new Map<string, Set<CounterKey>>();
  for (const e of events) {
    const id = String(e.messageId);
    const s = before.get(id);
    if (!s) continue;
    let seen = counted.get(id);
    if (!seen) counted.set(id, (seen = new Set(UNIQUE_COUNTERS.filter((u) => u.seen(s)).map((u) => u.key))));
    const counts: Delta['counts'] = {};
    for (const u of UNIQUE_COUNTERS) {
      if (seen.has(u.key) || !u.qualifies(e)) continue;
      seen.add(u.key);
      counts[u.key] = 1;
      // The first bounce classifies the message; a bounce the provider did not classify is hard.
      if (u.key === 'bounced') counts[e.bounceClass === 'soft' ? 'bouncedSoft' : 'bouncedHard'] = 1;
    }
    for (const t of TOTAL_COUNTERS) {
      const n = t.amount(e);
      if (n) counts[t.key] = n;
    }
    if (Object.keys(counts).length) {
      deltas.push({ messageId: id, workspaceId: s.workspaceId, campaignId: s.campaignId, variantId: s.variantId, bucketAt: hourOf(e.occurredAt), counts });
    }
    if (e.type === 'click' && !e.machine && e.url) {
      clicks.push({ messageId: id, workspaceId: s.workspaceId, campaignId: s.campaignId, url: e.url.slice(0, 2048), urlHash: urlHash(e.url.slice(0, 2048)) });
    }
  }
  return { deltas, clicks };
}
