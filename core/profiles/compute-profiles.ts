// Recomputes every contact profile of a workspace in a fixed number of set-based statements
// (see profile-sql.ts). The feature tables are built first on one connection, outside the
// write transaction; the swap (delete + insert of profiles, event counts and interests) is one
// transaction, so readers see either the old profiles or the new ones, never a mix.
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { ValidationError } from '../errors';
import { optionalTableColumns } from './optional-tables';
import { offsetRanges } from './tz-offsets';
import {
  TEMP_TABLES, activityStatement, engagementStatement, eventCountsStatement, interestsStatements, preferredHourStatement,
  profilesInsertStatement, rfmStatement, windowsAt, type Statement,
} from './profile-sql';
import './profile-events';

export interface ComputeProfilesResult {
  contacts: number;
  computedAt: Date;
  /** False when message_events does not exist yet: email engagement is then zero. */
  emailEngagement: boolean;
  durationMs: number;
}

/** Rebuilds contact_profiles, contact_event_counts and contact_interests for the workspace as of `asOf` (default now). */
export async function computeProfiles(ctx: WorkspaceContext, args: { asOf?: Date } = {}): Promise<ComputeProfilesResult> {
  const started = Date.now();
  const asOf = args.asOf ?? ctx.now();
  if (Number.isNaN(asOf.getTime())) throw ValidationError.at(['asOf'], 'not a valid date-time');
  const w = windowsAt(asOf);
  const ws = ctx.workspaceId;
  const mailColumns = await optionalTableColumns(ctx, 'message_events');
  const withMail = !!mailColumns && ['workspace_id', 'contact_id', 'type', 'occurred_at'].every((c) => mailColumns.has(c));

  const conn = await ctx.db.sql.getConnection();
  try {
    const [[wsRow]] = await conn.query<RowDataPacket[]>('SELECT timezone FROM workspaces WHERE id = ?', [ws]);
    const defaultTz = String(wsRow?.timezone ?? 'UTC');
    // The window and GROUP BY steps sort millions of rows; with the default 16 MB in-memory
    // limit their temporary tables spill to disk. This session only may use more.
    await conn.query('SET SESSION tmp_table_size = 134217728, max_heap_table_size = 134217728, sort_buffer_size = 33554432');
    await dropTemps(conn);
    await run(conn, activityStatement(ws, w));
    await run(conn, rfmStatement(w));
    if (withMail) await run(conn, engagementStatement(ws, w, mailColumns!.has('machine')));
    await loadZoneOffsets(conn, ws, defaultTz, w.d365, asOf);
    await run(conn, preferredHourStatement(ws, w, defaultTz, withMail));
    for (const s of interestsStatements(ws, w)) await run(conn, s);

    let contacts = 0;
    await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await conn.beginTransaction();
    try {
      await conn.query('DELETE FROM contact_profiles WHERE workspace_id = ?', [ws]);
      await conn.query('DELETE FROM contact_event_counts WHERE workspace_id = ?', [ws]);
      await conn.query('DELETE FROM contact_interests WHERE workspace_id = ?', [ws]);
      contacts = await run(conn, profilesInsertStatement(ws, w, withMail), true);
      await run(conn, eventCountsStatement(ws, w), true);
      await conn.query(
        'INSERT INTO contact_interests (contact_id, workspace_id, category, score, views, purchases) SELECT contact_id, ?, category, score, views, purchases FROM tp_interest',
        [ws],
      );
      await conn.commit();
    } catch (err) {
      await conn.rollback().catch(() => {});
      throw err;
    }
    ctx.events.emit('profiles.computed', { workspaceId: ws, contacts, computedAt: asOf.toISOString() });
    return { contacts, computedAt: asOf, emailEngagement: withMail, durationMs: Date.now() - started };
  } finally {
    await dropTemps(conn).catch(() => {});
    await conn.query('SET SESSION tmp_table_size = DEFAULT, max_heap_table_size = DEFAULT, sort_buffer_size = DEFAULT').catch(() => {});
    conn.release();
  }
}

async function run(conn: PoolConnection, [sql, params]: Statement, inTransaction = false): Promise<number> {
  // Read committed: reading events and contacts takes no locks, so a recomputation never
  // blocks ingestion. SET TRANSACTION applies to the next transaction (or statement) only.
  if (!inTransaction) await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
  const [res] = await conn.query(sql, params);
  return (res as { affectedRows?: number }).affectedRows ?? 0;
}

async function dropTemps(conn: PoolConnection): Promise<void> {
  await conn.query(`DROP TEMPORARY TABLE IF EXISTS ${TEMP_TABLES.join(', ')}`);
}

/** Offset ranges for every zone the workspace's contacts use, for local-hour computation. */
async function loadZoneOffsets(conn: PoolConnection, ws: number, defaultTz: string, from: Date, to: Date): Promise<void> {
  await conn.query('CREATE TEMPORARY TABLE tp_tz (tz VARCHAR(64) NOT NULL, from_at DATETIME(3) NOT NULL, to_at DATETIME(3) NOT NULL, offset_minutes INT NOT NULL, INDEX (tz, from_at))');
  const [rows] = await conn.query<RowDataPacket[]>('SELECT DISTINCT timezone FROM contacts WHERE workspace_id = ? AND timezone IS NOT NULL', [ws]);
  const zones = [defaultTz, ...rows.map((r) => String(r.timezone))];
  // Zones were validated on write; one the runtime no longer knows falls back to the default.
  const known = zones.filter((z) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: z });
      return true;
    } catch {
      return false;
    }
  });
  const ranges = offsetRanges(known, from, new Date(to.getTime() + 3600_000));
  for (let i = 0; i < ranges.length; i += 1000) {
    await conn.query('INSERT INTO tp_tz (tz, from_at, to_at, offset_minutes) VALUES ?', [
      ranges.slice(i, i + 1000).map((r) => [r.tz, r.from, r.to, r.offsetMinutes]),
    ]);
  }
}
