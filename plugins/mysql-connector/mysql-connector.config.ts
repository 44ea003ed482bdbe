import { z } from 'zod';

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a plain table or column name (letters, digits, _)');

/** A workspace's configuration of the MySQL connector (validated by the integration API). */
export const mysqlConnectorConfig = z.object({
  /** mysql://user:pass@host:3306/db of the source database (stored encrypted). */
  url: z.string().regex(/^(mysql|mariadb):\/\//, 'must start with mysql:// or mariadb://'),
  table: identifier,
  /** A column that increases whenever a row changes (e.g. updated_at), and a unique key to break ties. */
  cursorColumn: identifier.default('updated_at'),
  keyColumn: identifier.default('id'),
  batchSize: z.number().int().min(1).max(10_000).default(1000),
  /** Source column for each contact field; at least email or externalId. */
  columns: z
    .object({
      email: identifier.optional(),
      externalId: identifier.optional(),
      firstName: identifier.optional(),
      lastName: identifier.optional(),
      locale: identifier.optional(),
      timezone: identifier.optional(),
    })
    .refine((c) => c.email || c.externalId, 'map a column to email or externalId'),
  /** Source columns copied into attributes of the same name (they must be defined attributes). */
  attributeColumns: z.array(identifier).default([]),
});

export type MysqlConnectorConfig = z.output<typeof mysqlConnectorConfig>;
