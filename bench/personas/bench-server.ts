// Server settings and data shape for bench/personas: the InnoDB buffer pool the run uses (a
// global, dynamic in MariaDB 10.11, which other sessions' benches may also change) and the size
// of what the run reads, both printed with the figures.
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../../core/context';

const MB = 1048576;

export async function bufferPoolMb(core: CoreContext): Promise<number> {
  const [[row]] = await core.db.sql.query<RowDataPacket[]>('SELECT @@innodb_buffer_pool_size AS size');
  return Math.round(Number(row.size) / MB);
}

async function resize(core: CoreContext, mb: number): Promise<void> {
  await core.db.sql.query(`SET GLOBAL innodb_buffer_pool_size = ${mb * MB}`);
  // The resize may run in the background; wait for it so the figures are taken at the new size.
  for (let i = 0; i < 600; i++) {
    const [[s]] = await core.db.sql.query<RowDataPacket[]>("SHOW STATUS LIKE 'Innodb_buffer_pool_resize_status'");
    if (!s || !/resiz|withdraw|allocat/i.test(String(s.Value)) || /completed/i.test(String(s.Value))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Holds the buffer pool at `mb` for the run ('keep': the server's own setting). `check()`
 * before each timed section puts it back (and says so) when another session changed it;
 * `restore()` returns the original size.
 */
export async function holdBufferPool(core: CoreContext, mb: string, log: (s: string) => void) {
  const original = await bufferPoolMb(core);
  const wanted = mb === 'keep' ? original : Number(mb);
  if (wanted !== original) await resize(core, wanted);
  log(`innodb_buffer_pool_size ${await bufferPoolMb(core)} MB for this run (server's own setting ${original} MB${wanted !== original ? ', restored at the end' : ''})`);
  return {
    async check(section: string) {
      const now = await bufferPoolMb(core);
      if (now === wanted) return;
      log(`  (buffer pool was ${now} MB before "${section}", changed by another session; set back to ${wanted} MB)`);
      await resize(core, wanted);
    },
    async restore() {
      if ((await bufferPoolMb(core)) !== original) await resize(core, original);
    },
  };
}

/** Rows, property sizes and on-disk size of what the profile computation reads. */
export async function dataShape(core: CoreContext, workspaceId: number): Promise<string[]> {
  const [[e]] = await core.db.sql.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n, SUM(properties IS NULL) AS no_props, AVG(LENGTH(properties)) AS avg_props, MAX(LENGTH(properties)) AS max_props
       FROM events WHERE workspace_id = ?`,
    [workspaceId],
  );
  const [tables] = await core.db.sql.query<RowDataPacket[]>(
    `SELECT table_name AS t, table_rows AS r, ROUND(data_length / ${MB}) AS data_mb, ROUND(index_length / ${MB}) AS index_mb
       FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('events', 'contacts', 'contact_profiles', 'contact_interests', 'contact_event_counts')
      ORDER BY table_name`,
  );
  return [
    `workspace events: ${e.n} (${e.no_props} without properties; properties ${Number(e.avg_props).toFixed(0)} bytes on average, at most ${e.max_props})`,
    `tables (all workspaces of the database): ${tables.map((r) => `${r.t} ~${r.r} rows ${r.data_mb} MB + ${r.index_mb} MB indexes`).join('; ')}`,
  ];
}
