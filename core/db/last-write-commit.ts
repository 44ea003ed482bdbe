// Transactions whose last write travels with their COMMIT: one round trip instead of two.
//
// Why: a counter change is visible, and announced to live subscribers, only once its commit
// has returned to the writer. Between the rollup upsert (its `updated_at` is NOW(3), when the
// change is "written") and the announcement, a separate COMMIT costs a second round trip, and
// on a busy host each round trip waits for the database thread and then for the writer's own
// event loop to get a core. Sending `<last write>; COMMIT` as one query leaves one wait.
// bench/live, worker phase, 3 runs of 3 campaigns each way, interleaved (docs/benchmarks.md,
// thirteenth session): write → change event p50 6–13 ms against 12–23 ms, write → receipt p50
// 39–44 ms against 47–51 ms.
//
// The statements need a connection that accepts several statements in one query, which a
// pool opens only for this (Database.sqlMultiStatement): the main pool keeps refusing them, so
// a mistake in SQL built elsewhere cannot be turned into a stacked statement. Its only user is
// the sender's tracked writes (core/delivery/tracked-write.ts), whose SQL is ours with every
// value a placeholder. When the held write fails, the server runs nothing after it in that
// query, the COMMIT included, and the transaction is rolled back.
import type { PoolConnection } from 'mysql2/promise';
import type { SqlPool } from './sql-pool';
import { withSqlTransaction } from './sql-helpers';

/** Writes of a transaction whose results the caller does not need, sent in order. */
export interface TransactionWrites {
  /** Sends the write held before this one and holds this one: it may be the last. */
  write(sql: string, params: unknown[]): Promise<void>;
  /** Sends the held write now (before a read that must see it). */
  flush(): Promise<void>;
}

/** Writes sent at once, for transactions that commit as usual. */
export function immediateWrites(conn: PoolConnection): TransactionWrites {
  return {
    write: async (sql, params) => void (await conn.query(sql, params)),
    flush: async () => {},
  };
}

function heldWrites(conn: PoolConnection) {
  let held: { sql: string; params: unknown[] } | null = null;
  const take = () => {
    const h = held;
    held = null;
    return h;
  };
  const flush = async () => {
    const h = take();
    if (h) await conn.query(h.sql, h.params);
  };
  return {
    write: async (sql: string, params: unknown[]) => {
      await flush();
      held = { sql, params };
    },
    flush,
    /** Commits, with the held write if there is one. */
    async commit() {
      const h = take();
      if (!h) return conn.commit();
      await conn.query(`${h.sql};\nCOMMIT`, h.params);
    },
  };
}

/**
 * Runs `fn` in a transaction on a connection of `pool`, which must accept multiple statements;
 * the last write `fn` made through `writes` is sent together with the COMMIT. Rolls back on error.
 */
export function withLastWriteCommit<T>(pool: SqlPool, fn: (conn: PoolConnection, writes: TransactionWrites) => Promise<T>): Promise<T> {
  let writes: ReturnType<typeof heldWrites>;
  return withSqlTransaction(pool, (conn) => fn(conn, (writes = heldWrites(conn))), { commit: () => writes.commit() });
}
