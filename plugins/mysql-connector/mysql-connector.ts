// Syncs contacts from a table in another MySQL/MariaDB database (a shop or CRM database).
// Reads in pages ordered by (cursorColumn, keyColumn) so a sync resumes exactly after the
// last row it wrote, even when many rows share one updated_at.
import mysql from 'mysql2/promise';
import { defineConnector, type ConnectorContact } from '../sdk';
import { mysqlConnectorConfig, type MysqlConnectorConfig } from './mysql-connector.config';

interface Cursor {
  c: unknown;
  k: unknown;
}

export const mysqlConnector = defineConnector<MysqlConnectorConfig>({
  key: 'mysql',
  label: 'MySQL / MariaDB table',
  config: mysqlConnectorConfig,
  secretFields: ['url'],
  async *sync({ config, cursor, signal }) {
    const conn = await mysql.createConnection({ uri: config.url, timezone: 'Z', dateStrings: false, connectTimeout: 10_000 });
    try {
      let after: Cursor | null = cursor ? (JSON.parse(cursor) as Cursor) : null;
      const { table, cursorColumn: c, keyColumn: k, batchSize } = config;
      while (!signal.aborted) {
        // Identifiers are validated by the config schema (plain names), so quoting them is safe.
        const [rows] = after
          ? await conn.query<mysql.RowDataPacket[]>(
              `SELECT * FROM \`${table}\` WHERE \`${c}\` > ? OR (\`${c}\` = ? AND \`${k}\` > ?) ORDER BY \`${c}\`, \`${k}\` LIMIT ?`,
              [after.c, after.c, after.k, batchSize],
            )
          : await conn.query<mysql.RowDataPacket[]>(`SELECT * FROM \`${table}\` ORDER BY \`${c}\`, \`${k}\` LIMIT ?`, [batchSize]);
        if (!rows.length) return;
        const last = rows[rows.length - 1];
        after = { c: last[c] instanceof Date ? (last[c] as Date).toISOString() : last[c], k: last[k] };
        yield { contacts: rows.map((r) => toContact(r, config)), cursor: JSON.stringify(after) };
        if (rows.length < batchSize) return;
      }
    } finally {
      await conn.end();
    }
  },
});

function toContact(row: mysql.RowDataPacket, config: MysqlConnectorConfig): ConnectorContact {
  const col = (name?: string) => (name && row[name] != null ? String(row[name]) : undefined);
  const attributes: Record<string, unknown> = {};
  for (const a of config.attributeColumns) {
    const v = row[a];
    if (v != null) attributes[a] = v instanceof Date ? v.toISOString().slice(0, 10) : v;
  }
  return {
    email: col(config.columns.email),
    externalId: col(config.columns.externalId),
    firstName: col(config.columns.firstName),
    lastName: col(config.columns.lastName),
    locale: col(config.columns.locale),
    timezone: col(config.columns.timezone),
    attributes,
  };
}
