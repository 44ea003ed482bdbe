import type { App } from '../../api/app';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { gql, gqlOk, errorCodes } from '../support/graphql-client';
import { ContactsPageDocument, DefineAttributeDocument, UpsertContactsDocument, CreateContactDocument } from '../generated/graphql';

let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());
beforeEach(async () => {
  ws = await createTestWorkspace(app);
  await gqlOk(app, ws.key, DefineAttributeDocument, { key: 'plan', type: 'ENUM', enumValues: ['free', 'pro'] });
  await gqlOk(app, ws.key, DefineAttributeDocument, { key: 'seats', type: 'NUMBER' });
});

const total = async () => (await gqlOk(app, ws.key, ContactsPageDocument, { first: 1 })).contacts.totalCount;

test('creates, updates and leaves unchanged, keyed by email; re-running is idempotent', async () => {
  const rows = Array.from({ length: 2500 }, (_, i) => ({ email: `user${i}@example.com`, firstName: `U${i}`, attributes: { plan: 'free', seats: i % 7 } }));
  const first = await gqlOk(app, ws.key, UpsertContactsDocument, { contacts: rows, key: 'EMAIL' });
  expect(first.upsertContacts).toMatchObject({ created: 2500, updated: 0, unchanged: 0 });
  expect(new Set(first.upsertContacts.contactIds).size).toBe(2500);

  const again = await gqlOk(app, ws.key, UpsertContactsDocument, { contacts: rows, key: 'EMAIL' });
  expect(again.upsertContacts).toMatchObject({ created: 0, updated: 0, unchanged: 2500 });
  expect(again.upsertContacts.contactIds).toEqual(first.upsertContacts.contactIds);

  const changed = rows.map((r, i) => (i < 10 ? { email: r.email.toUpperCase(), attributes: { plan: 'pro' } } : r));
  const third = await gqlOk(app, ws.key, UpsertContactsDocument, { contacts: changed, key: 'EMAIL' });
  expect(third.upsertContacts).toMatchObject({ created: 0, updated: 10, unchanged: 2490 });
  const pro = await gqlOk(app, ws.key, ContactsPageDocument, { first: 50, filter: { attributes: [{ key: 'plan', op: 'EQ', value: 'pro' }] } });
  expect(pro.contacts.totalCount).toBe(10);
  // Attributes merge: seats kept, plan changed; first name kept (absent field = unchanged).
  expect(pro.contacts.edges[0].node).toMatchObject({ firstName: 'U0', attributes: { plan: 'pro', seats: 0 } });
  expect(await total()).toBe(2500);
});

test('keyed by external id; the same key twice in a batch is folded into one contact', async () => {
  const res = await gqlOk(app, ws.key, UpsertContactsDocument, {
    key: 'EXTERNAL_ID',
    contacts: [
      { externalId: 'crm-1', firstName: 'Ann' },
      { externalId: 'crm-2', email: 'bob@example.com' },
      { externalId: 'crm-1', lastName: 'Lee' },
    ],
  });
  expect(res.upsertContacts).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
  expect(res.upsertContacts.contactIds[0]).toBe(res.upsertContacts.contactIds[2]);
  const page = await gqlOk(app, ws.key, ContactsPageDocument, { first: 10, filter: { search: 'crm-1' } });
  expect(page.contacts.edges[0].node).toMatchObject({ firstName: 'Ann', lastName: 'Lee', externalId: 'crm-1' });
});

test('one bad row rejects the whole batch with every issue located, and writes nothing', async () => {
  const res = await gql(app, ws.key, UpsertContactsDocument, {
    key: 'EMAIL',
    contacts: [
      { email: 'ok@example.com' },
      { email: 'nope' },
      { email: 'ok2@example.com', attributes: { seats: 'many' } },
      { firstName: 'no identity' },
      { email: 'ok3@example.com', attributes: { plan: 'enterprise' } },
    ],
  });
  expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  expect(res.errors![0].extensions!.issues!.map((i) => i.path)).toEqual([
    ['contacts', 1, 'email'],
    ['contacts', 2, 'attributes', 'seats'],
    ['contacts', 3, 'email'],
    ['contacts', 4, 'attributes', 'plan'],
  ]);
  expect(await total()).toBe(0);
});

test('an identity owned by another contact is a located error, and nothing is written', async () => {
  await gqlOk(app, ws.key, CreateContactDocument, { input: { email: 'taken@example.com', externalId: 'x-1' } });
  const res = await gql(app, ws.key, UpsertContactsDocument, {
    key: 'EMAIL',
    contacts: [{ email: 'new@example.com' }, { email: 'other@example.com', externalId: 'x-1' }],
  });
  expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  expect(res.errors![0].extensions!.issues).toEqual([{ path: ['contacts', 1, 'externalId'], message: 'externalId "x-1" already belongs to another contact' }]);
  expect(await total()).toBe(1);
});

test('more than 10,000 contacts in one call is refused before anything is read', async () => {
  const rows = Array.from({ length: 10_001 }, (_, i) => ({ email: `u${i}@example.com` }));
  const res = await gql(app, ws.key, UpsertContactsDocument, { contacts: rows, key: 'EMAIL' });
  expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  expect(res.errors![0].message).toMatch(/at most 10000 contacts per call \(got 10001\)/);
  expect(await total()).toBe(0);
});
