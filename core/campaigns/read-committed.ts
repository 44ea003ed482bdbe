import type { PoolConnection } from 'mysql2/promise';
import type { SqlPool } from '../db/sql-pool';

/**
 * A transaction at READ COMMITTED. Large INSERT … SELECT snapshots under the default
 * REPEATABLE READ take next-key locks on every scanned contact row and gap, blocking
 * imports for the length of the snapshot; READ COMMITTED locks only what it writes.
 */
export async function withReadCommitted<T>(pool: SqlPool, fn: (conn: PoolConnection) => Promise<T>): Promise<T> {
  const conn = await pool.getConnection();
  try {
    await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await conn.beginTransaction();
    const result = await fn(conn);
    await conn.commit();
    return result;
  } catch (err) {
    await conn.rollback().catch(() => {});
    throw err;
  } finally {
    conn.release();
  }
}
