import type { PoolConnection } from 'mysql2/promise';
import type { SqlPool } from './sql-pool';

/** Splits an array into chunks of at most `size` (multi-row statements stay under max_allowed_packet). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Runs `fn` in a transaction on one pooled connection; rolls back on error.
 * `readCommitted`: large INSERT … SELECT statements under the default REPEATABLE READ take
 * next-key locks on every row and gap they scan (blocking imports for their whole length);
 * READ COMMITTED locks only what they write.
 * `commit`: how the transaction ends when `fn` succeeds (default: COMMIT; last-write-commit.ts
 * sends it with the last write).
 */
export async function withSqlTransaction<T>(
  pool: SqlPool,
  fn: (conn: PoolConnection) => Promise<T>,
  opts: { readCommitted?: boolean; commit?: (conn: PoolConnection) => Promise<void> } = {},
): Promise<T> {
  const conn = await pool.getConnection();
  try {
    if (opts.readCommitted) await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await conn.beginTransaction();
    const result = await fn(conn);
    await (opts.commit ? opts.commit(conn) : conn.commit());
    return result;
  } catch (err) {
    await conn.rollback().catch(() => {});
    throw err;
  } finally {
    conn.release();
  }
}

/** True for MySQL/MariaDB duplicate-key errors. */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: string })?.code === 'ER_DUP_ENTRY' || (err as { errno?: number })?.errno === 1062;
}

/**
 * True for deadlocks and lock wait timeouts, which are safe to retry. A deadlock on a table's
 * AUTO-INC lock reaches the loser as 1467 "Failed to read auto-increment value from storage
 * engine", not 1213: an INSERT … SELECT holds that lock from its first row while it waits for
 * a row another transaction holds, and that transaction's next insert into the same table
 * waits for the AUTO-INC lock. InnoDB rolls the loser back whole, as for any deadlock
 * (tests/database/lock-conflict-retry.test.ts; seen in a CI run on message_events).
 */
export function isRetryableLock(err: unknown): boolean {
  const errno = (err as { errno?: number })?.errno;
  return errno === 1213 || errno === 1205 || errno === 1467;
}

/**
 * Runs `fn` again when it fails on a lock conflict (InnoDB rolls the loser of a deadlock back
 * whole, and retrying is the remedy its manual gives), or on whatever `alsoRetry` accepts (a
 * duplicate key from a racing writer whose rows a re-read will find). `attempts` counts all runs.
 */
export async function retryingLockConflicts<T>(fn: () => Promise<T>, opts: { attempts?: number; alsoRetry?: (err: unknown) => boolean } = {}): Promise<T> {
  const attempts = opts.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt < attempts && (isRetryableLock(err) || opts.alsoRetry?.(err))) continue;
      throw err;
    }
  }
}
