import type { App } from '../../api/app';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { gqlOk } from '../support/graphql-client';
import { gqlUpload } from '../support/multipart';
import { ContactsPageDocument, DefineAttributeDocument, ImportContactsCsvDocument, type ImportContactsCsvMutation } from '../generated/graphql';

let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());
beforeEach(async () => {
  ws = await createTestWorkspace(app);
  await gqlOk(app, ws.key, DefineAttributeDocument, { key: 'age', type: 'NUMBER' });
  await gqlOk(app, ws.key, DefineAttributeDocument, { key: 'vip', type: 'BOOLEAN' });
});

const CSV = [
  'E-mail,First Name,Surname,Age,VIP,Favourite colour',
  'ada@example.com,Ada,Lovelace,36,yes,green',
  'not-an-email,Bad,Row,40,no,red',
  'grace@example.com,Grace,Hopper,eighty,no,blue',
  'alan@example.com,Alan,Turing,41,true,black',
  'short@example.com,Only,Three',
  'quoted@example.com,Q,"Smith, Jr",50,false,white',
].join('\n');

async function importCsv(csv: string, variables: Record<string, unknown> = { key: 'EMAIL' }) {
  const res = await gqlUpload<ImportContactsCsvMutation>(app, ws.key, ImportContactsCsvDocument, variables, { file: { name: 'people.csv', content: csv } });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.importContactsCsv;
}

test('imports good rows, reports each bad row by line and column, and maps headers by name', async () => {
  const report = await importCsv(CSV);
  expect(report).toMatchObject({ status: 'COMPLETED', totalRows: 6, created: 3, updated: 0, unchanged: 0, failed: 3, ignoredColumns: ['Favourite colour'] });
  expect(report.errors).toEqual([
    { line: 3, column: 'E-mail', message: '"not-an-email" is not a valid email address' },
    { line: 4, column: 'Age', message: 'expected a number, got "eighty"' },
    { line: 6, column: null, message: 'has 3 fields, the header has 6' },
  ]);
  const page = await gqlOk(app, ws.key, ContactsPageDocument, { first: 10, orderBy: { field: 'EMAIL', direction: 'ASC' } });
  expect(page.contacts.edges.map((e) => [e.node.email, e.node.lastName, e.node.attributes])).toEqual([
    ['ada@example.com', 'Lovelace', { age: 36, vip: true }],
    ['alan@example.com', 'Turing', { age: 41, vip: true }],
    ['quoted@example.com', 'Smith, Jr', { age: 50, vip: false }],
  ]);
});

test('re-importing the same file changes nothing and says it was seen before', async () => {
  const first = await importCsv(CSV);
  const second = await importCsv(CSV);
  expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 3, failed: 3, previousImportRunId: first.importRunId });
  expect((await gqlOk(app, ws.key, ContactsPageDocument, { first: 1 })).contacts.totalCount).toBe(3);
});

test('an explicit mapping overrides names, and null ignores a column', async () => {
  const csv = 'mail,given,extra\nzoe@example.com,Zoe,x\n';
  const report = await importCsv(csv, { key: 'EMAIL', mapping: [{ column: 'mail', field: 'email' }, { column: 'given', field: 'firstName' }, { column: 'extra', field: null }] });
  expect(report).toMatchObject({ created: 1, ignoredColumns: ['extra'] });
});

test('a malformed file writes nothing, even rows before the fault', async () => {
  const rows = Array.from({ length: 2500 }, (_, i) => `p${i}@example.com,P${i},,1,no,x`);
  const csv = ['email,firstName,lastName,age,vip,colour', ...rows, 'broken@example.com,"unterminated,,1,no,x'].join('\n');
  const report = await importCsv(csv);
  expect(report.status).toBe('FAILED');
  expect(report.failureReason).toMatch(/malformed CSV/i);
  expect((await gqlOk(app, ws.key, ContactsPageDocument, { first: 1 })).contacts.totalCount).toBe(0);
});

test('a file without the key column is refused', async () => {
  const report = await importCsv('name,age\nBob,3\n');
  expect(report.status).toBe('FAILED');
  expect(report.failureReason).toMatch(/no column is mapped to email/);
});

test('the plain HTTP import streams the body and answers with the same report', async () => {
  const res = await app.yoga.fetch('http://personae.test/v1/contacts/import?key=email', {
    method: 'POST',
    headers: { authorization: `Bearer ${ws.key}`, 'content-type': 'text/csv' },
    body: CSV,
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: 'COMPLETED', created: 3, failed: 3 });
});

test('an upload over MAX_UPLOAD_MB is refused and writes nothing', async () => {
  const small = await createTestApp({ env: { MAX_UPLOAD_MB: '1' } });
  try {
    const big = ['email', ...Array.from({ length: 60_000 }, (_, i) => `bulk${i}@example.com`)].join('\n'); // ~1.3 MB
    const res = await gqlUpload<ImportContactsCsvMutation>(small, ws.key, ImportContactsCsvDocument, { key: 'EMAIL' }, { file: { name: 'big.csv', content: big } });
    expect(res.data?.importContactsCsv ?? null).toBeNull();
    expect(res.errors?.[0].message).toMatch(/size|limit/i);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect((await gqlOk(app, ws.key, ContactsPageDocument, { first: 1 })).contacts.totalCount).toBe(0);
  } finally {
    await small.close();
  }
});
