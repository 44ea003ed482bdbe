// Recomputes every contact profile of a workspace in a fixed number of set-based statements:
// one read of the workspace's events into a narrow scratch table (profile-scan.ts), every
// feature family from it (profile-families.ts), then one transaction that writes profiles,
// event counts and interests (profile-write.ts), so readers see either the old profiles or the
// new ones, never a mix. All of it runs on one connection (the scratch tables are temporary).
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { ValidationError } from '../errors';
import { optionalTableColumns } from './optional-tables';
import { offsetRanges } from './tz-offsets';
import { isValidTimeZone } from '../util/time-zones';
import { SESSION_DEFAULTS, SESSION_LIMITS, TEMP_TABLES, windowsAt, type Statement } from './profile-sql';
import { categoryDictionaryStatements, eventScanStatements, scratchEngine, typeDictionaryStatements } from './profile-scan';
import { activityStatement, contactTypeStatement, engagementStatement, interestStatements, preferredHourStatement, rfmStatement } from './profile-families';
import { eventCountsStatements, interestsStatements, profilesUpsertStatement } from './profile-write';
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
    const [[server]] = await conn.query<RowDataPacket[]>('SELECT (SELECT timezone FROM workspaces WHERE id = ?) AS timezone, VERSION() AS version', [ws]);
    const defaultTz = String(server.timezone ?? 'UTC');
    await conn.query(SESSION_LIMITS);
    await dropTemps(conn);
    await runAll(conn, eventScanStatements(ws, w, scratchEngine(String(server.version))));
    await runAll(conn, typeDictionaryStatements());
    await runAll(conn, [contactTypeStatement(w), activityStatement(), rfmStatement(w)]);
    if (withMail) await run(conn, engagementStatement(ws, w, mailColumns!.has('machine')));
    await loadZones(conn, ws, defaultTz, w.d365, asOf);
    await run(conn, preferredHourStatement(ws, w, withMail));
    await runAll(conn, categoryDictionaryStatements());
    await runAll(conn, interestStatements(w));

    let contacts = 0;
    await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await conn.beginTransaction();
    try {
      contacts = selectedRows(await run(conn, profilesUpsertStatement(ws, w, withMail), true));
      await runAll(conn, eventCountsStatements(ws), true);
      await runAll(conn, interestsStatements(ws), true);
      await conn.commit();
    } catch (err) {
      await conn.rollback().catch(() => {});
      throw err;
    }
    ctx.events.emit('profiles.computed', { workspaceId: ws, contacts, computedAt: asOf.toISOString() });
    return { contacts, computedAt: asOf, emailEngagement: withMail, durationMs: Date.now() - started };
  } finally {
    await dropTemps(conn).catch(() => {});
    await conn.query(SESSION_DEFAULTS).catch(() => {});
    conn.release();
  }
}

type Result = { affectedRows?: number; info?: string };

async function run(conn: PoolConnection, [sql, params]: Statement, inTransaction = false): Promise<Result> {
  // Read committed: reading events and contacts takes no locks, so a recomputation never
  // blocks ingestion. SET TRANSACTION applies to the next transaction (or statement) only.
  if (!inTransaction) await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
  const [res] = await conn.query(sql, params);
  return res as Result;
}

async function runAll(conn: PoolConnection, statements: Statement[], inTransaction = false): Promise<void> {
  for (const s of statements) await run(conn, s, inTransaction);
}

/**
 * Rows an INSERT … SELECT … ON DUPLICATE KEY UPDATE read ("Records: n" in the server's info
 * string): affectedRows counts an updated row twice and an unchanged one not at all.
 */
function selectedRows(res: Result): number {
  const m = /Records:\s*(\d+)/.exec(res.info ?? '');
  return m ? Number(m[1]) : (res.affectedRows ?? 0);
}

async function dropTemps(conn: PoolConnection): Promise<void> {
  await conn.query(`DROP TEMPORARY TABLE IF EXISTS ${TEMP_TABLES.join(', ')}`);
}

/**
 * Zones for local-hour computation: tp_zone numbers the zones the workspace's contacts use
 * (1 = the workspace's), tp_tz holds their offset ranges over the year, tp_cz each contact's
 * zone number. A contact without a zone, or with one the runtime no longer knows (zones are
 * validated on write), takes the workspace's.
 */
async function loadZones(conn: PoolConnection, ws: number, defaultTz: string, from: Date, to: Date): Promise<void> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT DISTINCT timezone FROM contacts WHERE workspace_id = ? AND timezone IS NOT NULL', [ws]);
  const zones = [...new Set([isValidTimeZone(defaultTz) ? defaultTz : 'UTC', ...rows.map((r) => String(r.timezone)).filter(isValidTimeZone)])];
  await conn.query('CREATE TEMPORARY TABLE tp_zone (tz_id INT NOT NULL PRIMARY KEY, tz VARCHAR(64) NOT NULL, UNIQUE KEY (tz)) ENGINE=MEMORY DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci');
  await conn.query('INSERT INTO tp_zone (tz_id, tz) VALUES ?', [zones.map((z, i) => [i + 1, z])]);
  await conn.query('CREATE TEMPORARY TABLE tp_tz (tz_id INT NOT NULL, from_at DATETIME(3) NOT NULL, to_at DATETIME(3) NOT NULL, offset_minutes INT NOT NULL, INDEX USING BTREE (tz_id, from_at)) ENGINE=MEMORY');
  const ranges = offsetRanges(zones, from, new Date(to.getTime() + 3600_000));
  const ids = new Map(zones.map((z, i) => [z, i + 1]));
  for (let i = 0; i < ranges.length; i += 1000) {
    await conn.query('INSERT INTO tp_tz (tz_id, from_at, to_at, offset_minutes) VALUES ?', [
      ranges.slice(i, i + 1000).map((r) => [ids.get(r.tz), r.from, r.to, r.offsetMinutes]),
    ]);
  }
  await run(conn, [
    `CREATE TEMPORARY TABLE tp_cz (PRIMARY KEY (contact_id)) ENGINE=MEMORY
     SELECT c.id AS contact_id, COALESCE(z.tz_id, 1) AS tz_id FROM contacts c LEFT JOIN tp_zone z ON z.tz = c.timezone WHERE c.workspace_id = ? ORDER BY c.id`,
    [ws],
  ]);
}
