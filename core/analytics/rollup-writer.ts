// The rollup writer: how delivery code keeps the counters current, inside the very transaction
// that records what they count, so a counter moves exactly when its fact commits (a rolled
// back or replayed change counts nothing).
//
//   const rollup = await beginRollup(conn, messageIds);   // locks the rows, remembers their state
//   … UPDATE messages … / INSERT INTO message_events …     // whatever the transaction does
//   await rollup.finish(insertedEvents);                   // counts the difference
//
// State counters (sent, dropped, failed, skipped, uncertain, recipients by variant) are the difference
// between the rows before and after, whatever the updates were; event counters come from the
// events the transaction inserted (deduped by their key before insert: replays insert nothing).
// Creation and the A/B release move many rows at once and have set-based helpers.
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';
import { chunk } from '../db/sql-helpers';
import { immediateWrites, type TransactionWrites } from '../db/last-write-commit';
import { eventDeltas, stateDeltas, type Delta, type MessageState, type RollupEvent } from './rollup-deltas';
import { applyDeltas, applyLinkClicks, hourSql, upsertFromMessages } from './rollup-upsert';

const STATE_COLUMNS = `id, workspace_id, campaign_id, variant_id, status, skip_reason, send_at, created_at, sent_at, delivered_at, bounced_at,
  opened_at, machine_opened_at, clicked_at, complained_at, unsubscribed_at, converted_at`;

function toState(r: RowDataPacket): MessageState {
  return {
    id: String(r.id),
    workspaceId: r.workspace_id,
    campaignId: r.campaign_id,
    variantId: r.variant_id ?? 0,
    status: r.status,
    skipReason: r.skip_reason,
    sendAt: r.send_at,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    deliveredAt: r.delivered_at,
    bouncedAt: r.bounced_at,
    openedAt: r.opened_at,
    machineOpenedAt: r.machine_opened_at,
    clickedAt: r.clicked_at,
    complainedAt: r.complained_at,
    unsubscribedAt: r.unsubscribed_at,
    convertedAt: r.converted_at,
  };
}

async function readStates(conn: PoolConnection, ids: string[], lock: boolean): Promise<Map<string, MessageState>> {
  const out = new Map<string, MessageState>();
  for (const part of chunk(ids, 2000)) {
    if (!part.length) continue;
    // FOR UPDATE reads the latest committed row and holds it: concurrent writers of the same
    // message (a webhook and the worker) take turns, so each sees the other's effect.
    const [rows] = await conn.query<RowDataPacket[]>(`SELECT ${STATE_COLUMNS} FROM messages WHERE id IN (?) ${lock ? 'FOR UPDATE' : ''}`, [part]);
    for (const r of rows) out.set(String(r.id), toState(r));
  }
  return out;
}

export interface RollupTracker {
  /** The message rows as they were when tracking began. */
  readonly before: ReadonlyMap<string, MessageState>;
  /**
   * Counts what changed since `beginRollup` plus `events` (the rows this transaction inserted);
   * returns the campaigns whose counters moved, by workspace. Announce them with
   * announceRollupChanges once the transaction has committed. The counter writes go through
   * `writes` (default: sent at once); a transaction from withLastWriteCommit passes its own, so
   * that the last of them travels with the COMMIT.
   */
  finish(events?: readonly RollupEvent[], writes?: TransactionWrites): Promise<RollupChanges>;
}

/** Campaigns whose counters a transaction moved, by workspace. */
export type RollupChanges = Map<number, number[]>;

/** Records that `campaignId`'s counters moved. */
export function addRollupChange(changes: RollupChanges, workspaceId: number, campaignId: number): void {
  changes.set(workspaceId, [...(changes.get(workspaceId) ?? []), campaignId]);
}

/**
 * Tells live subscribers, figure caches and the response cache that counters moved. Call right
 * after the commit, not at the end of a longer job: a sender's batch goes on to render and call
 * the provider, and the skips it committed first would otherwise show only when it is done.
 */
export function announceRollupChanges(core: CoreContext, changes: RollupChanges): void {
  for (const [workspaceId, campaignIds] of changes) core.events.emit('analytics.rollups.changed', { workspaceId, campaignIds });
}

function tracker(conn: PoolConnection, before: Map<string, MessageState>): RollupTracker {
  return {
    before,
    async finish(events = [], writes = immediateWrites(conn)) {
      if (!before.size) return new Map();
      const after = await readStates(conn, [...before.keys()], false);
      const deltas: Delta[] = [];
      for (const [id, b] of before) deltas.push(...stateDeltas(b, after.get(id) ?? null));
      const fromEvents = eventDeltas(before, events);
      deltas.push(...fromEvents.deltas);
      const campaignIds = await applyDeltas(conn, writes, deltas);
      await applyLinkClicks(conn, writes, fromEvents.clicks);
      const workspaceOf = new Map([...before.values()].map((m) => [m.campaignId, m.workspaceId]));
      const changes: RollupChanges = new Map();
      for (const id of new Set([...campaignIds, ...fromEvents.clicks.map((c) => c.campaignId)])) addRollupChange(changes, workspaceOf.get(id)!, id);
      return changes;
    },
  };
}

/** Locks messages `ids` in `conn`'s transaction and remembers their state (call before changing them). */
export async function beginRollup(conn: PoolConnection, ids: readonly (bigint | string)[]): Promise<RollupTracker> {
  return tracker(conn, await readStates(conn, [...new Set(ids.map(String))], true));
}

/** Like beginRollup, for the messages matching a condition on `messages` (e.g. expired leases of a campaign). */
export async function beginRollupWhere(conn: PoolConnection, where: string, params: unknown[]): Promise<RollupTracker> {
  const [rows] = await conn.query<RowDataPacket[]>(`SELECT ${STATE_COLUMNS} FROM messages WHERE ${where} FOR UPDATE`, params);
  return tracker(conn, new Map(rows.map((r) => [String(r.id), toState(r)])));
}

/** Which freshly created messages: a whole launch snapshot, triggered enrollments (after message_id is set), or ids. */
export type CreatedMessages = { campaignId: number } | { enrollmentIds: readonly (bigint | string | number)[] } | { messageIds: readonly (bigint | string)[] };

function selection(sel: CreatedMessages): { from: string; where: string; params: unknown[] } | null {
  if ('campaignId' in sel) return { from: 'messages m', where: 'm.campaign_id = ?', params: [sel.campaignId] };
  const ids = 'enrollmentIds' in sel ? sel.enrollmentIds : sel.messageIds;
  if (!ids.length) return null;
  if ('enrollmentIds' in sel) return { from: 'trigger_enrollments te JOIN messages m ON m.id = te.message_id', where: 'te.id IN (?)', params: [ids.map(String)] };
  return { from: 'messages m', where: 'm.id IN (?)', params: [ids.map(String)] };
}

/**
 * Counts newly created messages as recipients and records which personas each contact is in
 * now (the persona breakdown keeps that attribution). Call once, in the transaction that
 * inserts them, after variants are assigned.
 */
export async function rollupMessagesCreated(conn: PoolConnection, sel: CreatedMessages): Promise<void> {
  const s = selection(sel);
  if (!s) return;
  await conn.query(
    `INSERT IGNORE INTO message_personas (message_id, persona_id, workspace_id, campaign_id)
     SELECT m.id, pm.persona_id, m.workspace_id, m.campaign_id
       FROM ${s.from} JOIN persona_members pm ON pm.workspace_id = m.workspace_id AND pm.contact_id = m.contact_id
      WHERE ${s.where}`,
    s.params,
  );
  await upsertFromMessages(conn, { ...s, variantExpr: 'COALESCE(m.variant_id, 0)', bucketExpr: hourSql('m.created_at'), counts: { recipients: 'COUNT(*)' } });
}

/**
 * The held A/B remainder is about to get the winning variant: moves those recipients from
 * "no variant" to it. Call in the same transaction, just before the UPDATE that assigns it.
 */
export async function rollupHeldRelease(conn: PoolConnection, args: { campaignId: number; variantId: number }): Promise<void> {
  const base = { from: 'messages m', where: "m.campaign_id = ? AND m.status = 'HELD' AND m.variant_id IS NULL", params: [args.campaignId], bucketExpr: hourSql('m.created_at') };
  await upsertFromMessages(conn, { ...base, variantExpr: '0', counts: { recipients: '-COUNT(*)' } });
  await upsertFromMessages(conn, { ...base, variantExpr: String(Number(args.variantId)), counts: { recipients: 'COUNT(*)' } });
}

