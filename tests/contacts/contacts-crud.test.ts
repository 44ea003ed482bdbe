import type { App } from '../../api/app';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { gql, gqlOk, errorCodes } from '../support/graphql-client';
import {
  ContactDocument, CreateContactDocument, DefineAttributeDocument, DeleteContactDocument, UpdateContactDocument, ContactsPageDocument,
} from '../generated/graphql';

let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});
beforeEach(async () => {
  ws = await createTestWorkspace(app);
  await gqlOk(app, ws.key, DefineAttributeDocument, { key: 'age', type: 'NUMBER' });
  await gqlOk(app, ws.key, DefineAttributeDocument, { key: 'tier', type: 'ENUM', enumValues: ['gold', 'silver'] });
});

test('create, read, update and delete a contact', async () => {
  const { createContact } = await gqlOk(app, ws.key, CreateContactDocument, {
    input: { email: '  Ada.Lovelace@Example.COM ', firstName: 'Ada', attributes: { age: '36', tier: 'gold' }, consent: { status: 'SUBSCRIBED', source: 'form' } },
  });
  expect(createContact).toMatchObject({
    email: 'Ada.Lovelace@Example.COM',
    firstName: 'Ada',
    attributes: { age: 36, tier: 'gold' },
    consent: { status: 'SUBSCRIBED', source: 'form' },
  });

  const { updateContact } = await gqlOk(app, ws.key, UpdateContactDocument, {
    id: createContact.id,
    input: { lastName: 'Lovelace', attributes: { tier: null, age: 37 } },
  });
  expect(updateContact).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', attributes: { age: 37 } });
  expect(updateContact.attributes).not.toHaveProperty('tier');

  const read = await gqlOk(app, ws.key, ContactDocument, { id: createContact.id });
  expect(read.contact.email).toBe('Ada.Lovelace@Example.COM');

  expect((await gqlOk(app, ws.key, DeleteContactDocument, { id: createContact.id })).deleteContact).toBe(createContact.id);
  const gone = await gql(app, ws.key, ContactDocument, { id: createContact.id });
  expect(errorCodes(gone)).toEqual(['NOT_FOUND']);
});

test('email is normalised for identity: a second contact differing only by case is a conflict', async () => {
  await gqlOk(app, ws.key, CreateContactDocument, { input: { email: 'grace@example.com' } });
  const dup = await gql(app, ws.key, CreateContactDocument, { input: { email: 'GRACE@example.com' } });
  expect(errorCodes(dup)).toEqual(['CONFLICT']);
  expect(dup.errors![0].extensions!.issues).toEqual([{ path: ['input', 'email'], message: 'already in use' }]);
});

test('bad input is a BAD_USER_INPUT error naming each field, and nothing is written', async () => {
  const res = await gql(app, ws.key, CreateContactDocument, {
    input: { email: 'not-an-email', timezone: 'Mars/Olympus', locale: 'xx_notalocale_y', attributes: { age: 'old', tier: 'bronze', unknown_attr: 1 } },
  });
  expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  const issues = res.errors![0].extensions!.issues!;
  expect(issues.map((i) => i.path.join('.')).sort()).toEqual(
    ['input.attributes.age', 'input.attributes.tier', 'input.attributes.unknown_attr', 'input.email', 'input.locale', 'input.timezone'].sort(),
  );
  const page = await gqlOk(app, ws.key, ContactsPageDocument, { first: 10 });
  expect(page.contacts.totalCount).toBe(0);
});

test('filters by attribute with typed operators, and rejects an operator that does not fit the type', async () => {
  for (const [email, age, tier] of [['a@x.io', 20, 'gold'], ['b@x.io', 40, 'silver'], ['c@x.io', 60, 'gold']] as const) {
    await gqlOk(app, ws.key, CreateContactDocument, { input: { email, attributes: { age, tier } } });
  }
  const page = await gqlOk(app, ws.key, ContactsPageDocument, {
    first: 10,
    filter: { attributes: [{ key: 'age', op: 'GTE', value: 40 }, { key: 'tier', op: 'EQ', value: 'gold' }] },
  });
  expect(page.contacts.edges.map((e) => e.node.email)).toEqual(['c@x.io']);

  const bad = await gql(app, ws.key, ContactsPageDocument, { first: 10, filter: { attributes: [{ key: 'tier', op: 'GT', value: 'gold' }] } });
  expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
  expect(bad.errors![0].extensions!.issues![0].path).toEqual(['filter', 'attributes', 0, 'op']);
});

test('EXISTS and NOT_EXISTS split contacts by whether the attribute is set', async () => {
  await gqlOk(app, ws.key, CreateContactDocument, { input: { email: 'with@x.io', attributes: { tier: 'gold' } } });
  await gqlOk(app, ws.key, CreateContactDocument, { input: { email: 'other@x.io', attributes: { age: 5 } } });
  await gqlOk(app, ws.key, CreateContactDocument, { input: { email: 'none@x.io' } });
  const emails = async (op: 'EXISTS' | 'NOT_EXISTS') =>
    (await gqlOk(app, ws.key, ContactsPageDocument, { first: 10, filter: { attributes: [{ key: 'tier', op }] }, orderBy: { field: 'EMAIL', direction: 'ASC' } })).contacts.edges.map((e) => e.node.email);
  expect(await emails('EXISTS')).toEqual(['with@x.io']);
  expect(await emails('NOT_EXISTS')).toEqual(['none@x.io', 'other@x.io']);
});
