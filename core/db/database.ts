import { parseDatabaseUrl, type DatabaseUrl } from './database-url';
import { createPrismaClient, type PrismaClient } from './prisma-client';
import { createSqlPool, type SqlPool } from './sql-pool';

export type QueryListener = (q: { sql: string; via: 'prisma' | 'mysql2' }) => void;

/** Both ways into the database: Prisma for typed CRUD, mysql2 for bulk and set-based SQL. */
export interface Database {
  prisma: PrismaClient;
  sql: SqlPool;
  /**
   * A pool whose connections accept several statements in one query, opened on first use and
   * only for sending a transaction's last write with its COMMIT (last-write-commit.ts).
   */
  readonly sqlMultiStatement: SqlPool;
  url: DatabaseUrl;
  /** Observe every statement sent (tests count them). Returns an unsubscribe function. */
  onQuery(listener: QueryListener): () => void;
  close(): Promise<void>;
}

/** Opens a Prisma client and a mysql2 pool on the same database. */
export function openDatabase(url: string, opts: { connectionLimit?: number } = {}): Database {
  const parsed = parseDatabaseUrl(url);
  const prisma = createPrismaClient(parsed, opts);
  const sql = createSqlPool(parsed, opts);
  const listeners = new Set<QueryListener>();
  let multi: SqlPool | null = null;

  // The client is typed without its log options, which hides the 'query' event overload.
  (prisma as unknown as { $on(event: 'query', cb: (e: { query: string }) => void): void }).$on('query', (e) => {
    for (const l of listeners) l({ sql: e.query, via: 'prisma' });
  });
  instrumentPool(sql, (text) => {
    for (const l of listeners) l({ sql: text, via: 'mysql2' });
  });

  return {
    prisma,
    sql,
    get sqlMultiStatement() {
      return (multi ??= createSqlPool(parsed, { ...opts, multipleStatements: true }));
    },
    url: parsed,
    onQuery(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await Promise.allSettled([prisma.$disconnect(), sql.end(), multi?.end()]);
    },
  };
}

// mysql2 has no per-statement event; wrap the two pool entry points. Statements sent on a
// connection taken with getConnection() are not counted (used only by bulk writers).
function instrumentPool(pool: SqlPool, emit: (sql: string) => void): void {
  for (const method of ['query', 'execute'] as const) {
    const original = pool[method].bind(pool) as (...args: unknown[]) => unknown;
    (pool as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const first = args[0];
      emit(typeof first === 'string' ? first : String((first as { sql?: string })?.sql ?? ''));
      return original(...args);
    };
  }
}
