// Tables owned by other domains that profiles and persona rules read when they exist
// (message_events from campaigns, contact_scores from models). A deployment may run without
// them, and they appear when their migration runs, so presence is looked up in
// information_schema and cached briefly rather than assumed at boot.
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';

const TTL_MS = 60_000;
const cache = new Map<string, { at: number; columns: Set<string> | null }>();
const overrides = new Map<string, Set<string> | null>();

/** The columns of `table` in the current database, or null when the table does not exist. */
export async function optionalTableColumns(core: CoreContext, table: string): Promise<Set<string> | null> {
  if (overrides.has(table)) return overrides.get(table)!;
  const hit = cache.get(table);
  // A table that exists stays (migrations only add); absence is re-checked after the TTL.
  if (hit && (hit.columns || Date.now() - hit.at < TTL_MS)) return hit.columns;
  const [rows] = await core.db.sql.query<RowDataPacket[]>(
    'SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
    [table],
  );
  const columns = rows.length ? new Set(rows.map((r) => String(r.c))) : null;
  cache.set(table, { at: Date.now(), columns });
  return columns;
}

/** Tests only: pretend `table` is absent (null) or has these columns; undefined removes the pretence. */
export function overrideOptionalTable(table: string, columns: Set<string> | null | undefined): void {
  if (columns === undefined) overrides.delete(table);
  else overrides.set(table, columns);
  cache.delete(table);
}
