import type { App } from '../../api/app';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { gql, gqlOk, errorCodes } from '../support/graphql-client';
import { ContactsPageDocument, CreateContactDocument, EventsDocument, TrackEventsDocument } from '../generated/graphql';

let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());
beforeEach(async () => {
  ws = await createTestWorkspace(app);
});

test('stores valid events, rejects malformed ones by index, and says so', async () => {
  const res = await gqlOk(app, ws.key, TrackEventsDocument, {
    events: [
      { type: 'purchase', email: 'Buyer@Example.com', value: 42.5, properties: { category: 'shoes', sku: 'S-1' }, occurredAt: '2026-10-01T10:00:00Z' },
      { type: '', email: 'x@example.com' },
      { type: 'page_view', email: 'bad-email' },
      { type: 'page_view' },
      { type: 'page_view', externalId: 'crm-9', occurredAt: '1960-01-01T00:00:00Z' },
      { type: 'page_view', externalId: 'crm-9', occurredAt: '2999-01-01T00:00:00Z' },
      { type: 'page_view', externalId: 'crm-9', properties: { path: '/' } },
    ],
  });
  expect(res.trackEvents).toMatchObject({ accepted: 2, duplicates: 0, contactsCreated: 2 });
  expect(res.trackEvents.rejected.map((r) => [r.index, r.path.join('.')])).toEqual([
    [1, 'events.1.type'],
    [2, 'events.2.email'],
    [3, 'events.3'],
    [4, 'events.4.occurredAt'],
    [5, 'events.5.occurredAt'],
  ]);
  expect(res.trackEvents.rejected[3].reason).toMatch(/before 1971/);
  expect(res.trackEvents.rejected[4].reason).toMatch(/more than a day in the future/);

  const events = await gqlOk(app, ws.key, EventsDocument, { first: 10, filter: { types: ['purchase'] } });
  expect(events.events.edges[0].node).toMatchObject({
    type: 'purchase', value: 42.5, properties: { category: 'shoes', sku: 'S-1' }, occurredAt: '2026-10-01T10:00:00.000Z', source: 'api',
    contact: { email: 'Buyer@Example.com' },
  });
});

test('an idempotency key makes a retried batch a no-op', async () => {
  const batch = Array.from({ length: 300 }, (_, i) => ({ type: 'page_view', email: `v${i % 30}@example.com`, idempotencyKey: `msg-${i}` }));
  const first = await gqlOk(app, ws.key, TrackEventsDocument, { events: batch });
  expect(first.trackEvents).toMatchObject({ accepted: 300, duplicates: 0, contactsCreated: 30 });
  const retry = await gqlOk(app, ws.key, TrackEventsDocument, { events: batch });
  expect(retry.trackEvents).toMatchObject({ accepted: 0, duplicates: 300, contactsCreated: 0 });
  const page = await gqlOk(app, ws.key, ContactsPageDocument, { first: 1 });
  expect(page.contacts.totalCount).toBe(30);
  expect(page.contacts.edges[0].node.eventCount).toBe(10);
});

test('events attach to existing contacts by id, external id or email, and bump last-seen', async () => {
  const { createContact } = await gqlOk(app, ws.key, CreateContactDocument, { input: { email: 'known@example.com', externalId: 'k-1' } });
  const res = await gqlOk(app, ws.key, TrackEventsDocument, {
    events: [
      { type: 'a', contactId: createContact.id, occurredAt: '2026-01-01T00:00:00Z' },
      { type: 'b', externalId: 'k-1', occurredAt: '2026-03-01T00:00:00Z' },
      { type: 'c', email: 'KNOWN@example.com', occurredAt: '2026-02-01T00:00:00Z' },
      { type: 'd', contactId: 'not-a-global-id' },
    ],
  });
  expect(res.trackEvents).toMatchObject({ accepted: 3, contactsCreated: 0 });
  expect(res.trackEvents.rejected.map((r) => r.index)).toEqual([3]);
  const page = await gqlOk(app, ws.key, ContactsPageDocument, { first: 5 });
  expect(page.contacts.edges[0].node.recentEvents.map((e) => e.type)).toEqual(['b', 'c', 'a']);
  const row = await app.core.db.prisma.contact.findUniqueOrThrow({ where: { id: Number(Buffer.from(createContact.id, 'base64').toString().split(':')[1]) } });
  expect(row.lastSeenAt?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
});

test('a value that is not a DateTime at all fails GraphQL input coercion as BAD_USER_INPUT', async () => {
  const res = await gql(app, ws.key, TrackEventsDocument, { events: [{ type: 'x', email: 'a@example.com', occurredAt: 'yesterday' }] });
  expect(res.status).toBe(400);
  expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  expect(res.errors![0].message).toMatch(/events\[0\]\.occurredAt/);
});

test('last-seen follows events to within an hour (not rewritten for every event of a session)', async () => {
  const lastSeen = async () => (await app.core.db.prisma.contact.findFirstOrThrow({ where: { workspaceId: ws.workspaceId, externalId: 's-1' } })).lastSeenAt?.toISOString();
  await gqlOk(app, ws.key, TrackEventsDocument, { events: [{ type: 'a', externalId: 's-1', occurredAt: '2026-05-01T10:00:00Z' }] });
  expect(await lastSeen()).toBe('2026-05-01T10:00:00.000Z');
  await gqlOk(app, ws.key, TrackEventsDocument, { events: [{ type: 'b', externalId: 's-1', occurredAt: '2026-05-01T10:20:00Z' }] });
  expect(await lastSeen()).toBe('2026-05-01T10:00:00.000Z');
  await gqlOk(app, ws.key, TrackEventsDocument, { events: [{ type: 'c', externalId: 's-1', occurredAt: '2026-05-01T12:00:00Z' }] });
  expect(await lastSeen()).toBe('2026-05-01T12:00:00.000Z');
  await gqlOk(app, ws.key, TrackEventsDocument, { events: [{ type: 'd', externalId: 's-1', occurredAt: '2026-04-01T12:00:00Z' }] });
  expect(await lastSeen()).toBe('2026-05-01T12:00:00.000Z'); // an older event never moves it back
});

test('an oversized batch is refused as a whole', async () => {
  const res = await gql(app, ws.key, TrackEventsDocument, { events: Array.from({ length: 10_001 }, () => ({ type: 'x', email: 'a@example.com' })) });
  expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  expect((await gqlOk(app, ws.key, ContactsPageDocument, { first: 1 })).contacts.totalCount).toBe(0);
});
