// Applies prisma/migrations/<timestamp>_<name>/migration.sql in order, recording each in
// Prisma's own `_prisma_migrations` table (same columns and checksums), so a real
// `prisma migrate deploy` would later see the same history. We run them ourselves because
// Prisma's schema engine is a native binary that cannot be downloaded offline.
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { parseDatabaseUrl } from '../../core/db/database-url';

export const MIGRATIONS_DIR = path.resolve(__dirname, '../../prisma/migrations');

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

/** Lists migrations in apply order (folder names start with a sortable timestamp). */
export function listMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS \`_prisma_migrations\` (
    \`id\` VARCHAR(36) NOT NULL,
    \`checksum\` VARCHAR(64) NOT NULL,
    \`finished_at\` DATETIME(3) NULL,
    \`migration_name\` VARCHAR(255) NOT NULL,
    \`logs\` TEXT NULL,
    \`rolled_back_at\` DATETIME(3) NULL,
    \`started_at\` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    \`applied_steps_count\` INTEGER UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (\`id\`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
}

/**
 * Applies pending migrations. Safe to run from several processes at once (a named lock
 * serialises them) and to re-run (applied migrations are skipped; an edited one is an error).
 */
export async function migrate(
  url: string,
  opts: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const log = opts.log ?? (() => {});
  const db = parseDatabaseUrl(url);
  const conn = await mysql.createConnection({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database,
    multipleStatements: true,
    timezone: 'Z',
  });
  try {
    await conn.query("SET time_zone = '+00:00'");
    const [[lock]] = await conn.query<mysql.RowDataPacket[]>("SELECT GET_LOCK('personae:migrate', 120) AS ok");
    if (lock.ok !== 1) throw new Error('timed out waiting for another process to finish migrating');
    try {
      await conn.query(HISTORY_TABLE);
      const [rows] = await conn.query<mysql.RowDataPacket[]>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM _prisma_migrations',
      );
      const history = new Map<string, HistoryRow>();
      for (const r of rows as HistoryRow[]) if (!r.rolled_back_at) history.set(r.migration_name, r);

      const applied: string[] = [];
      let alreadyApplied = 0;
      for (const m of listMigrations(opts.dir)) {
        const seen = history.get(m.name);
        if (seen?.finished_at) {
          if (seen.checksum !== m.checksum) {
            throw new Error(
              `migration ${m.name} was changed after it was applied (checksum differs). ` +
                'Write a new migration instead of editing an applied one.',
            );
          }
          alreadyApplied++;
          continue;
        }
        if (seen) {
          throw new Error(
            `migration ${m.name} failed earlier and needs attention: ${seen.logs ?? 'no log'}. ` +
              `Fix the database, then mark it rolled back: UPDATE _prisma_migrations SET rolled_back_at = NOW(3) WHERE migration_name = '${m.name}'`,
          );
        }
        const id = randomUUID();
        await conn.query('INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES (?, ?, ?)', [
          id,
          m.checksum,
          m.name,
        ]);
        try {
          await conn.query(m.sql);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          await conn.query('UPDATE _prisma_migrations SET logs = ? WHERE id = ?', [message, id]);
          throw new Error(`migration ${m.name} failed: ${message}`);
        }
        await conn.query(
          'UPDATE _prisma_migrations SET finished_at = CURRENT_TIMESTAMP(3), applied_steps_count = 1 WHERE id = ?',
          [id],
        );
        log(`applied ${m.name}`);
        applied.push(m.name);
      }
      return { applied, alreadyApplied };
    } finally {
      await conn.query("SELECT RELEASE_LOCK('personae:migrate')");
    }
  } finally {
    await conn.end();
  }
}
