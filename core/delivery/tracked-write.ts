// Writes to message rows that move analytics counters (sent, failed, skipped, uncertain,
// events) run in one transaction with the rollup writer (core/analytics/rollup-writer.ts):
// it locks the rows and remembers their state, we change them, it counts the difference, so a
// counter moves exactly when its fact commits, and is announced as soon as it has: the counter
// write goes to the database with the COMMIT (core/db/last-write-commit.ts). Deadlocks (a
// webhook and the worker touching the same messages) are retried.
import type { PoolConnection } from 'mysql2/promise';
import type { CoreContext } from '../context';
import { retryingLockConflicts } from '../db/sql-helpers';
import { withLastWriteCommit } from '../db/last-write-commit';
import { announceRollupChanges, beginRollup } from '../analytics/rollup-writer';
import type { RollupEvent } from '../analytics/rollup-deltas';

export async function trackedWrite<T>(
  core: CoreContext,
  ids: readonly (bigint | string)[],
  fn: (conn: PoolConnection) => Promise<T>,
  events?: (result: T) => readonly RollupEvent[],
): Promise<T> {
  const { result, changes } = await retryingLockConflicts(() =>
    withLastWriteCommit(core.db.sqlMultiStatement, async (conn, writes) => {
      const rollup = await beginRollup(conn, ids);
      const result = await fn(conn);
      return { result, changes: await rollup.finish(events ? events(result) : [], writes) };
    }),
  );
  announceRollupChanges(core, changes);
  return result;
}
