// A page of contacts with nested fields costs a constant number of SQL statements,
// whatever the page size (dataloaders and Prisma query planning, no N+1).
import type { App } from '../../api/app';
import { createTestApp, createTestWorkspace, countStatements, type TestWorkspace } from '../support/test-app';
import { gqlOk } from '../support/graphql-client';
import { ContactsPageDocument, DefineAttributeDocument, TrackEventsDocument, UpsertContactsDocument } from '../generated/graphql';

let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  await gqlOk(app, ws.key, DefineAttributeDocument, { key: 'age', type: 'NUMBER' });
  const contacts = Array.from({ length: 120 }, (_, i) => ({ email: `p${i}@example.com`, attributes: { age: 20 + (i % 50) } }));
  await gqlOk(app, ws.key, UpsertContactsDocument, { contacts, key: 'EMAIL' });
  const events = contacts.flatMap((c, i) => Array.from({ length: (i % 4) + 1 }, (_, j) => ({ type: j % 2 ? 'page_view' : 'purchase', email: c.email, value: j })));
  await gqlOk(app, ws.key, TrackEventsDocument, { events });
});
afterAll(() => app.close());

test('statement count does not grow with the page size', async () => {
  const counts: Record<number, number> = {};
  for (const first of [5, 50, 100]) {
    const { result, statements } = await countStatements(app, () =>
      gqlOk(app, ws.key, ContactsPageDocument, { first, filter: { attributes: [{ key: 'age', op: 'GTE', value: 20 }] } }),
    );
    expect(result.contacts.edges).toHaveLength(first);
    expect(result.contacts.edges.every((e) => e.node.recentEvents.length === e.node.eventCount || e.node.recentEvents.length === 3)).toBe(true);
    counts[first] = statements.length;
  }
  // attribute definitions + contacts page + total count (+ its filter's definitions) + recentEvents + eventCount
  expect(counts[5]).toBe(counts[100]);
  expect(counts[50]).toBe(counts[100]);
  expect(counts[100]).toBeLessThanOrEqual(6);
});
