// A second workspace's key can read and change nothing of the first: not by id, not through
// a connection, not by mutation. Another workspace's id behaves exactly like a missing id.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { App } from '../../api/app';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { gql, gqlOk, errorCodes } from '../support/graphql-client';
import {
  ContactDocument, ContactsPageDocument, CreateContactDocument, DeleteContactDocument, EventsDocument, NodeDocument,
  TrackEventsDocument, UpdateContactDocument, ApiKeysDocument, RevokeApiKeyDocument, CreateApiKeyDocument,
} from '../generated/graphql';

let app: App;
let a: TestWorkspace;
let b: TestWorkspace;
let contactId: string;

beforeAll(async () => {
  app = await createTestApp();
  a = await createTestWorkspace(app);
  b = await createTestWorkspace(app);
  contactId = (await gqlOk(app, a.key, CreateContactDocument, { input: { email: 'secret@a.example', firstName: 'Alice' } })).createContact.id;
  await gqlOk(app, a.key, TrackEventsDocument, { events: [{ type: 'purchase', contactId, value: 10 }] });
});
afterAll(() => app.close());

/** What a missing id looks like, so other-workspace ids can be compared to it exactly. */
const missingId = encodeGlobalID('Contact', '2147483000');

test('reading by id: another workspace gets exactly what a missing id gets', async () => {
  const foreign = await gql(app, b.key, ContactDocument, { id: contactId });
  const missing = await gql(app, b.key, ContactDocument, { id: missingId });
  expect(errorCodes(foreign)).toEqual(['NOT_FOUND']);
  expect(foreign.errors![0].message.replace(contactId, 'X')).toBe(missing.errors![0].message.replace(missingId, 'X'));
  expect((await gql(app, b.key, NodeDocument, { id: contactId })).data).toEqual({ node: null });
  expect((await gql(app, a.key, NodeDocument, { id: contactId })).data?.node).toMatchObject({ __typename: 'Contact', email: 'secret@a.example' });
});

test('connections and event lists show only the own workspace', async () => {
  const page = await gqlOk(app, b.key, ContactsPageDocument, { first: 50, filter: { search: 'secret' } });
  expect(page.contacts.totalCount).toBe(0);
  const events = await gqlOk(app, b.key, EventsDocument, { first: 50, filter: { contactId } });
  expect(events.events.edges).toEqual([]);
});

test('mutations on another workspace\'s contact fail as NOT_FOUND and change nothing', async () => {
  expect(errorCodes(await gql(app, b.key, UpdateContactDocument, { id: contactId, input: { firstName: 'Mallory' } }))).toEqual(['NOT_FOUND']);
  expect(errorCodes(await gql(app, b.key, DeleteContactDocument, { id: contactId }))).toEqual(['NOT_FOUND']);
  const tracked = await gqlOk(app, b.key, TrackEventsDocument, { events: [{ type: 'purchase', contactId, value: 99 }] });
  expect(tracked.trackEvents).toMatchObject({ accepted: 0, rejected: [{ index: 0, path: ['events', '0', 'contactId'] }] });

  const still = await gqlOk(app, a.key, ContactDocument, { id: contactId });
  expect(still.contact.firstName).toBe('Alice');
  const events = await gqlOk(app, a.key, EventsDocument, { first: 10, filter: { contactId } });
  expect(events.events.edges.map((e) => e.node.value)).toEqual([10]);
});

test('the same email may exist in two workspaces as two contacts', async () => {
  const other = await gqlOk(app, b.key, CreateContactDocument, { input: { email: 'secret@a.example' } });
  expect(other.createContact.id).not.toBe(contactId);
});

test('API keys of another workspace cannot be listed or revoked', async () => {
  const created = await gqlOk(app, a.key, CreateApiKeyDocument, { name: 'a reader', scope: 'READ' });
  const listed = await gqlOk(app, b.key, ApiKeysDocument);
  expect(listed.apiKeys.map((k) => k.id)).not.toContain(created.createApiKey.apiKey.id);
  expect(errorCodes(await gql(app, b.key, RevokeApiKeyDocument, { id: created.createApiKey.apiKey.id }))).toEqual(['NOT_FOUND']);
  expect((await gql(app, created.createApiKey.secret, ContactsPageDocument, { first: 1 })).errors).toBeUndefined();
});
