// Reads the append-only `events` table once, in id order, for everything delivery reacts to:
// triggered-campaign entries and conversion attribution. One cursor, held under a row lock
// (SKIP LOCKED: one scanner at a time, others move on). Ids are allocated before commit, so
// a gap in the sequence may be a transaction still committing: the scan stops before a gap
// until the event after it is `settleMs` old, then assumes the gap is a rollback or an
// ignored duplicate. Processing is idempotent (unique keys), so a crash before the cursor
// moves only repeats work.
//
// A worker dedicated to one workspace (PERSONAE_DELIVERY_WORKSPACE, and every test) scans that
// workspace's events with a cursor of its own instead: it never waits on, or is skipped by,
// the scanners of other workspaces (tests with a controlled clock running beside each other
// used to consume each other's events through the shared cursor). A workspace's ids are not
// contiguous, so there the settle rule is by age alone: events younger than `settleMs` wait.
// The workspace cursor starts where the shared one is (or at the beginning when none exists:
// events older than a campaign's launch never enter it, and conversions are idempotent).
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';
import { withSqlTransaction } from '../db/sql-helpers';
import { enrollFromEvents, type ScannedEvent } from '../campaigns/trigger-enrollment';
import { attributeConversions } from '../tracking/conversions';

const CURSOR = 'events';

export interface ScanOptions {
  batchSize?: number;
  settleMs?: number;
  /** Scan this workspace's events only, with its own cursor. */
  workspaceId?: number;
}

// Cursors this process has created (or found): the INSERT that creates one runs once per
// process and cursor, not on every scan (a scheduler scans up to 20 times a tick).
const ensured = new WeakMap<CoreContext['db'], Set<string>>();

async function ensureCursor(core: CoreContext, name: string, workspaceId: number | undefined): Promise<void> {
  let names = ensured.get(core.db);
  if (!names) ensured.set(core.db, (names = new Set()));
  if (names.has(name)) return;
  if (workspaceId === undefined) {
    // A new deployment starts at the current end: history is not replayed into triggers.
    await core.db.sql.query('INSERT IGNORE INTO delivery_cursors (name, position, updated_at) SELECT ?, COALESCE(MAX(id), 0), ? FROM events', [name, core.now()]);
  } else {
    await core.db.sql.query(
      'INSERT IGNORE INTO delivery_cursors (name, position, updated_at) SELECT ?, COALESCE((SELECT position FROM delivery_cursors WHERE name = ?), 0), ?',
      [name, CURSOR, core.now()],
    );
  }
  names.add(name);
}

/** Processes the next batch of events; returns how many were consumed (0: caught up or another scanner is busy). */
export async function scanEvents(core: CoreContext, opts: ScanOptions = {}): Promise<number> {
  const batchSize = opts.batchSize ?? 2000;
  const settleMs = opts.settleMs ?? 10_000;
  const ws = opts.workspaceId;
  const name = ws === undefined ? CURSOR : `${CURSOR}:workspace:${ws}`;
  await ensureCursor(core, name, ws);
  return withSqlTransaction(core.db.sql, async (conn) => {
    const [[cursor]] = await conn.query<RowDataPacket[]>('SELECT position FROM delivery_cursors WHERE name = ? FOR UPDATE SKIP LOCKED', [name]);
    if (!cursor) return 0;
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT id, workspace_id, contact_id, type, value, occurred_at, received_at FROM events WHERE id > ?${ws === undefined ? '' : ' AND workspace_id = ?'} ORDER BY id LIMIT ?`,
      ws === undefined ? [cursor.position, batchSize] : [cursor.position, ws, batchSize],
    );
    const settledBefore = core.now().getTime() - settleMs;
    let expected = BigInt(cursor.position) + 1n;
    const batch: ScannedEvent[] = [];
    for (const r of rows) {
      const id = BigInt(r.id);
      const young = new Date(r.received_at).getTime() > settledBefore;
      if (ws === undefined ? id !== expected && young : young) break;
      batch.push({ id, workspaceId: r.workspace_id, contactId: r.contact_id, type: r.type, value: r.value === null ? null : Number(r.value), occurredAt: r.occurred_at });
      expected = id + 1n;
    }
    if (!batch.length) return 0;
    await enrollFromEvents(core, batch);
    await attributeConversions(core, batch);
    await conn.query('UPDATE delivery_cursors SET position = ?, updated_at = ? WHERE name = ?', [String(batch[batch.length - 1].id), core.now(), name]);
    return batch.length;
  });
}
