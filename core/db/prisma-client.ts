import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { PrismaClient, Prisma } from '../../prisma/generated/client/client';
import type { DatabaseUrl } from './database-url';

export { PrismaClient, Prisma };

/** A Prisma client on the MariaDB driver adapter (works offline: no query engine binary). */
export function createPrismaClient(db: DatabaseUrl, opts: { connectionLimit?: number } = {}): PrismaClient {
  const adapter = new PrismaMariaDb({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database,
    connectionLimit: opts.connectionLimit ?? Number(db.params.connectionLimit ?? 10),
    initSql: "SET time_zone = '+00:00'",
  });
  return new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
}
