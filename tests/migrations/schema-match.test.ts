// The schema engine that would normally diff schema.prisma against the database cannot run
// offline, so this test does its job: migrate an empty database with our runner and compare
// every table, column (type, nullability), index and foreign key with the Prisma datamodel.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { migrate } from '../../scripts/db/migration-runner';
import { scratchDatabase, type ScratchDatabase } from '../support/scratch-database';

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum';
  type: string;
  isRequired: boolean;
  isList: boolean;
  isId: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { fields: string[] } | null;
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'normal' | 'unique' | 'fulltext';
  fields: { name: string }[];
}
interface Dmmf {
  models: DmmfModel[];
  enums: { name: string; values: { name: string; dbName?: string | null }[] }[];
  indexes: DmmfIndex[];
}

const dmmf = JSON.parse(readFileSync(path.resolve(__dirname, '../../prisma/generated/dmmf.json'), 'utf8')) as Dmmf;
let db: ScratchDatabase;
let conn: mysql.Connection;
let url: string;
let dbName: string;

beforeAll(async () => {
  db = await scratchDatabase('schema');
  ({ admin: conn, url, name: dbName } = db);
});

afterAll(() => db?.drop());

/** The SQL type Prisma's MySQL connector declares for a field, normalised to information_schema terms. */
function expectedType(f: DmmfField, isMaria: boolean): string {
  if (f.kind === 'enum') {
    const e = dmmf.enums.find((x) => x.name === f.type)!;
    return `enum(${e.values.map((v) => `'${v.dbName ?? v.name}'`).join(',')})`;
  }
  if (f.nativeType) {
    const [name, args] = f.nativeType;
    const n = name.toLowerCase();
    if (n === 'decimal') return `decimal(${args.join(',')})`;
    if (n === 'datetime') return `datetime(${args[0] ?? 3})`;
    if (n === 'char' || n === 'varchar') return `${n}(${args[0]})`;
    return n;
  }
  switch (f.type) {
    case 'String': return 'varchar(191)';
    case 'Int': return 'int(11)';
    case 'BigInt': return 'bigint(20)';
    case 'Boolean': return 'tinyint(1)';
    case 'Float': return 'double';
    case 'DateTime': return 'datetime(3)';
    case 'Json': return isMaria ? 'longtext' : 'json';
    case 'Bytes': return 'longblob';
    default: throw new Error(`unmapped type ${f.type}`);
  }
}

function columnOf(model: DmmfModel, fieldName: string): string {
  const f = model.fields.find((x) => x.name === fieldName)!;
  return f.dbName ?? f.name;
}

test('the migrated database matches schema.prisma', async () => {
  const first = await migrate(url);
  expect(first.applied.length).toBeGreaterThan(0);
  const again = await migrate(url);
  expect(again).toEqual({ applied: [], alreadyApplied: first.applied.length });

  const [[version]] = await conn.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
  const isMaria = /mariadb/i.test(version.v);
  const [tables] = await conn.query<mysql.RowDataPacket[]>(
    "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME <> '_prisma_migrations'", [dbName]);
  const tableNames = tables.map((r) => r.t).sort();
  expect(tableNames).toEqual(dmmf.models.map((m) => m.dbName ?? m.name).sort());

  const problems: string[] = [];
  for (const model of dmmf.models) {
    const table = model.dbName ?? model.name;
    const [cols] = await conn.query<mysql.RowDataPacket[]>(
      'SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
      [dbName, table],
    );
    const actual = new Map(cols.map((c) => [c.name as string, c]));
    const scalars = model.fields.filter((f) => f.kind !== 'object');
    for (const f of scalars) {
      const col = actual.get(f.dbName ?? f.name);
      if (!col) {
        problems.push(`${table}.${f.dbName ?? f.name}: missing column`);
        continue;
      }
      const want = expectedType(f, isMaria).replace(/int\(\d+\)/, 'int').replace(/bigint\(\d+\)/, 'bigint');
      // Lower-case the type name only: enum values are case-sensitive.
      const got = String(col.type).replace(/^[a-z]+/i, (m) => m.toLowerCase()).replace(/ /g, '').replace(/int\(\d+\)/, 'int').replace(/bigint\(\d+\)/, 'bigint');
      if (got !== want.replace(/ /g, '')) problems.push(`${table}.${col.name}: type ${got}, schema.prisma says ${want}`);
      if ((col.nullable === 'YES') !== !f.isRequired) problems.push(`${table}.${col.name}: nullable=${col.nullable}, schema.prisma says required=${f.isRequired}`);
    }
    for (const name of actual.keys()) {
      if (!scalars.some((f) => (f.dbName ?? f.name) === name)) problems.push(`${table}.${name}: column not in schema.prisma`);
    }

    // Indexes as (kind, ordered columns), names aside.
    const [idx] = await conn.query<mysql.RowDataPacket[]>(
      `SELECT INDEX_NAME AS name, NON_UNIQUE AS nonUnique, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? GROUP BY INDEX_NAME, NON_UNIQUE`,
      [dbName, table],
    );
    const actualIdx = idx.map((i) => `${i.name === 'PRIMARY' ? 'id' : i.nonUnique ? 'normal' : 'unique'}(${i.cols})`).sort();
    const declared = dmmf.indexes
      .filter((i) => i.model === model.name)
      .map((i) => `${i.type}(${i.fields.map((f) => columnOf(model, f.name)).join(',')})`);
    // MySQL creates an index for a foreign key when no index starts with its columns.
    const fks = model.fields.filter((f) => f.kind === 'object' && f.relationFromFields?.length);
    for (const fk of fks) {
      const cols = fk.relationFromFields!.map((n) => columnOf(model, n)).join(',');
      if (!declared.some((d) => d.replace(/^\w+\(/, '').startsWith(cols))) declared.push(`normal(${cols})`);
    }
    expect({ table, indexes: actualIdx }).toEqual({ table, indexes: declared.sort() });

    const [fkRows] = await conn.query<mysql.RowDataPacket[]>(
      `SELECT k.COLUMN_NAME AS col, k.REFERENCED_TABLE_NAME AS ref, r.DELETE_RULE AS onDelete
         FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r
           ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
        WHERE k.TABLE_SCHEMA = ? AND k.TABLE_NAME = ?`,
      [dbName, table],
    );
    const actualFks = fkRows.map((r) => `${r.col}->${r.ref}:${r.onDelete}`).sort();
    const declaredFks = fks
      .map((f) => {
        const target = dmmf.models.find((m) => m.name === f.type)!;
        const onDelete = (f.relationOnDelete ?? (f.isRequired ? 'Restrict' : 'SetNull')).replace('SetNull', 'SET NULL').replace('NoAction', 'NO ACTION').toUpperCase();
        return `${columnOf(model, f.relationFromFields![0])}->${target.dbName ?? target.name}:${onDelete}`;
      })
      .sort();
    if (JSON.stringify(actualFks) !== JSON.stringify(declaredFks)) problems.push(`${table}: foreign keys ${actualFks.join(' ')} ≠ schema.prisma ${declaredFks.join(' ')}`);
  }
  expect(problems).toEqual([]);
}, 60_000);

test('an applied migration that was edited is refused', async () => {
  await migrate(url);
  await conn.query(`UPDATE \`${dbName}\`._prisma_migrations SET checksum = 'tampered' ORDER BY started_at LIMIT 1`);
  await expect(migrate(url)).rejects.toThrow(/was changed after it was applied/);
});
