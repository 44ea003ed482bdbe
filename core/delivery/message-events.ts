// Applies message events from any source (provider webhooks, our pixel and redirect, the
// unsubscribe endpoint, conversion attribution): each is stored once (dedupe key), the
// message's summary columns and status follow, and bounces, complaints and unsubscribes
// reach the suppression list. One transaction per batch, set-based per event type.
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';
import { chunk, isDuplicateKey, retryingLockConflicts, withSqlTransaction } from '../db/sql-helpers';
import type { MessageEventKind } from '../campaigns/campaign-events';
import { applyEventSideEffects } from './message-event-effects';
import { beginRollup } from '../analytics/rollup-writer';

export interface MessageEventInput {
  messageId: bigint;
  type: MessageEventKind;
  occurredAt: Date;
  source: string;
  /** Events with the same key (per workspace) are stored once: `<provider>:<event id>`. */
  dedupeKey?: string | null;
  machine?: boolean;
  url?: string | null;
  reason?: string | null;
  bounceClass?: 'hard' | 'soft' | null;
  value?: number | null;
  userAgent?: string | null;
}

export interface MessageRow {
  id: bigint;
  workspaceId: number;
  campaignId: number;
  variantId: number | null;
  contactId: number;
  email: string;
}

export interface ApplyResult {
  applied: number;
  duplicates: number;
  unknownMessages: number;
}

/** Stores events for messages of `workspaceId` (others are ignored as unknown). */
export async function applyMessageEvents(core: CoreContext, workspaceId: number, events: MessageEventInput[]): Promise<ApplyResult> {
  const messages = await loadMessages(core, workspaceId, [...new Set(events.map((e) => e.messageId))]);
  const known = events.filter((e) => messages.has(e.messageId));
  const unknownMessages = events.length - known.length;
  // The same provider event twice in one delivery: keep the first.
  const seen = new Set<string>();
  const unique = known.filter((e) => !e.dedupeKey || (!seen.has(e.dedupeKey) && !!seen.add(e.dedupeKey)));
  if (!unique.length) return { applied: 0, duplicates: known.length, unknownMessages };

  // Two deliveries of the same events racing on the dedupe index: the loser retries and finds them stored.
  const fresh = await retryingLockConflicts(
    () =>
      withSqlTransaction(core.db.sql, async (conn) => {
        const stored = await existingKeys(conn, workspaceId, unique.flatMap((e) => (e.dedupeKey ? [e.dedupeKey] : [])));
        const todo = unique.filter((e) => !e.dedupeKey || !stored.has(e.dedupeKey));
        // Analytics counters move in this transaction: state before, events inserted, state after.
        const rollup = await beginRollup(conn, [...new Set(todo.map((e) => e.messageId))]);
        await insertEvents(core, conn, todo, messages);
        await updateSummaries(conn, todo);
        await rollup.finish(todo);
        return todo;
      }),
    { alsoRetry: isDuplicateKey },
  );
  await applyEventSideEffects(core, workspaceId, fresh, messages);
  const byCampaign = new Map<number, Partial<Record<MessageEventKind, number>>>();
  for (const e of fresh) {
    const c = messages.get(e.messageId)!.campaignId;
    const counts = byCampaign.get(c) ?? {};
    counts[e.type] = (counts[e.type] ?? 0) + 1;
    byCampaign.set(c, counts);
  }
  for (const [campaignId, counts] of byCampaign) core.events.emit('message.events.applied', { workspaceId, campaignId, counts });
  return { applied: fresh.length, duplicates: known.length - fresh.length, unknownMessages };
}

/** Messages of the workspace by id. */
export async function loadMessages(core: CoreContext, workspaceId: number, ids: bigint[]): Promise<Map<bigint, MessageRow>> {
  const out = new Map<bigint, MessageRow>();
  for (const part of chunk(ids, 2000)) {
    if (!part.length) continue;
    const [rows] = await core.db.sql.query<RowDataPacket[]>(
      'SELECT id, workspace_id, campaign_id, variant_id, contact_id, email FROM messages WHERE id IN (?) AND workspace_id = ?',
      [part.map(String), workspaceId],
    );
    for (const r of rows) {
      out.set(BigInt(r.id), { id: BigInt(r.id), workspaceId: r.workspace_id, campaignId: r.campaign_id, variantId: r.variant_id, contactId: r.contact_id, email: r.email });
    }
  }
  return out;
}

async function existingKeys(conn: PoolConnection, workspaceId: number, keys: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunk(keys, 1000)) {
    // FOR UPDATE also locks the gaps, so a concurrent delivery of the same keys waits for us.
    const [rows] = await conn.query<RowDataPacket[]>('SELECT dedupe_key FROM message_events WHERE workspace_id = ? AND dedupe_key IN (?) FOR UPDATE', [workspaceId, part]);
    rows.forEach((r) => out.add(r.dedupe_key));
  }
  return out;
}

async function insertEvents(core: CoreContext, conn: PoolConnection, events: MessageEventInput[], messages: Map<bigint, MessageRow>): Promise<void> {
  const now = core.now();
  const rows = events.map((e) => {
    const m = messages.get(e.messageId)!;
    return [
      m.workspaceId, String(m.id), m.campaignId, m.variantId, m.contactId, e.type, e.occurredAt, now, e.source.slice(0, 64),
      e.dedupeKey ?? null, e.machine ? 1 : 0, e.url?.slice(0, 2048) ?? null, e.reason?.slice(0, 1000) ?? null, e.bounceClass ?? null, e.value ?? null, e.userAgent?.slice(0, 512) ?? null,
    ];
  });
  for (const part of chunk(rows, 1000)) {
    await conn.query(
      `INSERT INTO message_events (workspace_id, message_id, campaign_id, variant_id, contact_id, type, occurred_at, received_at, source,
         dedupe_key, machine, url, reason, bounce_class, value, user_agent) VALUES ?`,
      [part],
    );
  }
}

// Per message and kind: the first occurrence, how many, the value sum (conversions), and the
// earliest event of the whole batch that proves the provider took the message (or null).
function aggregate(events: MessageEventInput[], pick: (e: MessageEventInput) => boolean, tookAt: Map<bigint, Date>) {
  const agg = new Map<bigint, { first: Date; n: number; value: number }>();
  for (const e of events.filter(pick)) {
    const a = agg.get(e.messageId);
    if (!a) agg.set(e.messageId, { first: e.occurredAt, n: 1, value: e.value ?? 0 });
    else {
      if (e.occurredAt < a.first) a.first = e.occurredAt;
      a.n++;
      a.value += e.value ?? 0;
    }
  }
  return [...agg].map(([id, a]) => [String(id), a.first, a.n, a.value, tookAt.get(id) ?? null] as const);
}

// Events that prove the provider took the message, whatever its answer to our call said or
// if none came (UNCERTAIN, or a webhook faster than the answer to a DISPATCHING call):
// delivered, bounce and dropped are the provider's report on a message it took; an open (even
// a machine prefetch fetches our pixel from a mailbox), a human click and a spam report come
// from the recipient's mailbox. Not a machine click: link scanners count nowhere. A deferred
// event proves it too but settles nothing (the provider is still trying): the delivered,
// bounce or dropped that follows does. Unsubscribes and conversions change no status.
function provesAcceptance(e: MessageEventInput): boolean {
  return ['delivered', 'bounce', 'dropped', 'open', 'spamreport'].includes(e.type) || (e.type === 'click' && !e.machine);
}

const SENT_LIKE = "'SENT', 'UNCERTAIN', 'DISPATCHING'";
// A settled message is a sent one (the `sent` counter follows sent_at), or delivered = sent −
// bounced − dropped would subtract messages it never added. At the earliest proving event of
// the batch (x.s); an answer that came first keeps its own time. The status test holds before
// and after the status assignment beside it (SENT_LIKE becomes DELIVERED/BOUNCED/DROPPED), so
// the order MariaDB evaluates them in does not matter; a message that was requeued or failed
// meanwhile keeps its status and no sent_at (its next send sets it).
const SENT_AT = `m.sent_at = COALESCE(m.sent_at, IF(m.status IN (${SENT_LIKE}, 'DELIVERED', 'BOUNCED', 'DROPPED'), x.s, NULL))`;
const settle = (to: string, from: string) => `${SENT_AT}, m.status = IF(m.status IN (${from}), '${to}', m.status)`;
const SUMMARY: { pick: (e: MessageEventInput) => boolean; set: string }[] = [
  { pick: (e) => e.type === 'delivered', set: `m.delivered_at = COALESCE(m.delivered_at, x.t), ${settle('DELIVERED', SENT_LIKE)}` },
  { pick: (e) => e.type === 'bounce', set: `m.bounced_at = COALESCE(m.bounced_at, x.t), ${settle('BOUNCED', `${SENT_LIKE}, 'DELIVERED'`)}` },
  { pick: (e) => e.type === 'dropped', set: settle('DROPPED', `${SENT_LIKE}, 'DELIVERED'`) },
  // Engagement (a spam report too) proves delivery, and settles an UNCERTAIN message: it did go out.
  { pick: (e) => e.type === 'open' && !e.machine, set: `m.opened_at = COALESCE(m.opened_at, x.t), m.open_count = m.open_count + x.n, ${settle('DELIVERED', SENT_LIKE)}` },
  { pick: (e) => e.type === 'open' && !!e.machine, set: `m.machine_opened_at = COALESCE(m.machine_opened_at, x.t), ${settle('DELIVERED', SENT_LIKE)}` },
  { pick: (e) => e.type === 'click' && !e.machine, set: `m.clicked_at = COALESCE(m.clicked_at, x.t), m.click_count = m.click_count + x.n, ${settle('DELIVERED', SENT_LIKE)}` },
  { pick: (e) => e.type === 'spamreport', set: `m.complained_at = COALESCE(m.complained_at, x.t), ${settle('DELIVERED', SENT_LIKE)}` },
  { pick: (e) => e.type === 'unsubscribe', set: 'm.unsubscribed_at = COALESCE(m.unsubscribed_at, x.t)' },
  { pick: (e) => e.type === 'conversion', set: 'm.converted_at = COALESCE(m.converted_at, x.t), m.revenue = COALESCE(m.revenue, 0) + x.v' },
];

async function updateSummaries(conn: PoolConnection, events: MessageEventInput[]): Promise<void> {
  const tookAt = new Map<bigint, Date>();
  for (const e of events) {
    const t = tookAt.get(e.messageId);
    if (provesAcceptance(e) && (!t || e.occurredAt < t)) tookAt.set(e.messageId, e.occurredAt);
  }
  for (const s of SUMMARY) {
    for (const part of chunk(aggregate(events, s.pick, tookAt), 500)) {
      const derived = part.map(() => 'SELECT ? AS id, ? AS t, ? AS n, ? AS v, ? AS s').join(' UNION ALL ');
      await conn.query(`UPDATE messages m JOIN (${derived}) x ON m.id = x.id SET ${s.set}`, part.flat());
    }
  }
}
