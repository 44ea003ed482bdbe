// The connector extension point end to end: a workspace configures the built-in MySQL
// connector (its URL stored encrypted), a sync runs as a background job through the job
// worker, and a second sync resumes from the stored cursor.
import mysql from 'mysql2/promise';
import type { App } from '../../api/app';
import { createJobWorker } from '../../api/workers/job-worker';
import { mysqlConnectorPlugin } from '../../plugins/mysql-connector';
import { formatDatabaseUrl, parseDatabaseUrl } from '../../core/db/database-url';
import { createTestApp, createTestWorkspace, testDatabaseUrl, type TestWorkspace } from '../support/test-app';
import { gql, gqlOk, errorCodes } from '../support/graphql-client';
import { ContactsPageDocument, CreateIntegrationDocument, DefineAttributeDocument, SyncIntegrationDocument, IntegrationsDocument } from '../generated/graphql';

let app: App;
let ws: TestWorkspace;
let source: mysql.Connection;
let sourceUrl: string;
const sourceDb = `personae_src_${process.pid}`;

beforeAll(async () => {
  app = await createTestApp({ plugins: [mysqlConnectorPlugin()] });
  ws = await createTestWorkspace(app);
  const base = parseDatabaseUrl(testDatabaseUrl());
  source = await mysql.createConnection({ host: base.host, port: base.port, user: base.user, password: base.password });
  await source.query(`CREATE DATABASE ${sourceDb}`);
  await source.query(`USE ${sourceDb}`);
  await source.query(`CREATE TABLE crm_customers (id INT PRIMARY KEY, email VARCHAR(200), given VARCHAR(50), tier VARCHAR(20), updated_at DATETIME NOT NULL)`);
  await source.query(`INSERT INTO crm_customers VALUES
    (1, 'ann@example.com', 'Ann', 'gold', '2026-01-01 10:00:00'),
    (2, 'bo@example.com', 'Bo', 'silver', '2026-01-01 10:00:00'),
    (3, 'not-an-email', 'Cy', 'gold', '2026-01-01 10:00:00'),
    (4, 'di@example.com', 'Di', NULL, '2026-01-02 09:00:00')`);
  sourceUrl = formatDatabaseUrl({ ...base, database: sourceDb });
  await gqlOk(app, ws.key, DefineAttributeDocument, { key: 'tier', type: 'STRING' });
});
afterAll(async () => {
  await source.query(`DROP DATABASE ${sourceDb}`);
  await source.end();
  await app.close();
});

async function runSync(integrationId: string) {
  const { syncIntegration } = await gqlOk(app, ws.key, SyncIntegrationDocument, { id: integrationId });
  const worker = createJobWorker(app.core, { pollMs: 50, workspaceId: ws.workspaceId });
  worker.start();
  try {
    const jobId = BigInt(Buffer.from(syncIntegration.id, 'base64').toString().split(':')[1]);
    // A deadline, not a timing assertion: generous because CI machines may be loaded.
    for (let i = 0; i < 2400; i++) {
      const job = await app.core.db.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
      if (['SUCCEEDED', 'FAILED'].includes(job.status)) return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('sync job did not finish');
  } finally {
    await worker.stop();
  }
}

test('configure, sync in the background, and resume from the cursor', async () => {
  const { createIntegration } = await gqlOk(app, ws.key, CreateIntegrationDocument, {
    input: {
      kind: 'CONNECTOR', key: 'mysql', name: 'CRM',
      config: { url: sourceUrl, table: 'crm_customers', keyColumn: 'id', batchSize: 2, columns: { email: 'email', firstName: 'given' }, attributeColumns: ['tier'] },
    },
  });
  // The URL (with its password) is a secret: stored encrypted, never returned.
  expect(createIntegration.secretFields).toEqual(['url']);
  expect(JSON.stringify(await gqlOk(app, ws.key, IntegrationsDocument))).not.toContain(sourceDb);
  const stored = await app.core.db.prisma.integrationConfig.findFirstOrThrow({ where: { workspaceId: ws.workspaceId } });
  expect(Buffer.from(stored.secrets!).toString('latin1')).not.toContain(sourceDb);

  const first = await runSync(createIntegration.id);
  expect(first.status).toBe('SUCCEEDED');
  expect(first.result).toMatchObject({ batches: 2, contacts: { created: 3, rejected: 1 } });
  const page = await gqlOk(app, ws.key, ContactsPageDocument, { first: 10, orderBy: { field: 'EMAIL', direction: 'ASC' } });
  expect(page.contacts.edges.map((e) => [e.node.email, e.node.firstName, e.node.attributes])).toEqual([
    ['ann@example.com', 'Ann', { tier: 'gold' }],
    ['bo@example.com', 'Bo', { tier: 'silver' }],
    ['di@example.com', 'Di', {}],
  ]);

  await source.query(`INSERT INTO crm_customers VALUES (5, 'ed@example.com', 'Ed', 'bronze', '2026-01-03 08:00:00')`);
  await source.query(`UPDATE crm_customers SET tier = 'platinum', updated_at = '2026-01-03 09:00:00' WHERE id = 1`);
  const second = await runSync(createIntegration.id);
  // Only rows changed after the cursor are read again.
  expect(second.result).toMatchObject({ contacts: { created: 1, updated: 1, unchanged: 0, rejected: 0 } });
  const ann = await gqlOk(app, ws.key, ContactsPageDocument, { first: 1, filter: { search: 'ann@' } });
  expect(ann.contacts.edges[0].node.attributes).toEqual({ tier: 'platinum' });
});

test('a configuration the connector cannot use is refused with its path, and nothing is stored', async () => {
  const res = await gql(app, ws.key, CreateIntegrationDocument, {
    input: { kind: 'CONNECTOR', key: 'mysql', name: 'bad', config: { url: 'http://x', table: 'drop table;', columns: { firstName: 'given' } } },
  });
  expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  expect(res.errors![0].extensions!.issues!.map((i) => i.path.join('.')).sort()).toEqual(['input.config.columns', 'input.config.table', 'input.config.url']);
  expect(await app.core.db.prisma.integrationConfig.count({ where: { workspaceId: ws.workspaceId, name: 'bad' } })).toBe(0);
  const unknown = await gql(app, ws.key, CreateIntegrationDocument, { input: { kind: 'CONNECTOR', key: 'salesforce', name: 'x', config: {} } });
  expect(unknown.errors![0].extensions!.issues).toEqual([{ path: ['input', 'key'], message: 'unknown connector "salesforce" (registered: mysql)' }]);
});
