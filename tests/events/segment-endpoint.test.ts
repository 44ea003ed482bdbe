// The Segment-compatible HTTP API: what a Segment library or a `curl` sends.
import type { App } from '../../api/app';
import { createKey, createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { gqlOk } from '../support/graphql-client';
import { ContactsPageDocument, DefineAttributeDocument, EventsDocument } from '../generated/graphql';

let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());
beforeEach(async () => {
  ws = await createTestWorkspace(app);
});

async function post(path: string, body: unknown, auth = `Bearer ${ws.key}`) {
  const res = await app.yoga.fetch(`http://personae.test${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: auth },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

test('a batch of identify, track and page messages; bad items rejected by index; retry is idempotent', async () => {
  await gqlOk(app, ws.key, DefineAttributeDocument, { key: 'plan', type: 'STRING' });
  const batch = {
    batch: [
      { type: 'identify', userId: 'u-1', messageId: 'm0', traits: { email: 'Ana@Example.com', firstName: 'Ana', plan: 'pro', shoeSize: 38 }, context: { timezone: 'Europe/Madrid', locale: 'es-ES' } },
      { type: 'track', userId: 'u-1', event: 'Order Completed', messageId: 'm1', properties: { revenue: 99.9, category: 'shoes' }, timestamp: '2026-11-01T12:00:00Z' },
      { type: 'page', userId: 'u-1', name: 'Home', messageId: 'm2', properties: { path: '/' } },
      { type: 'track', userId: 'u-2', messageId: 'm3' },
      { type: 'alias', previousId: 'x', userId: 'u-1' },
      { type: 'track', anonymousId: 'anon', event: 'Viewed', messageId: 'm5' },
    ],
  };
  const first = await post('/v1/batch', batch);
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ success: false, received: 6, accepted: 2, duplicates: 0, identified: 1, ignoredTraits: ['shoeSize'] });
  expect(first.body.rejected.map((r: { index: number }) => r.index)).toEqual([3, 4, 5]);
  expect(first.body.rejected[0].reason).toMatch(/event: required/);

  const page = await gqlOk(app, ws.key, ContactsPageDocument, { first: 5 });
  expect(page.contacts.edges.map((e) => e.node)).toEqual([
    expect.objectContaining({ email: 'Ana@Example.com', externalId: 'u-1', firstName: 'Ana', attributes: { plan: 'pro' }, eventCount: 2 }),
  ]);
  const events = await gqlOk(app, ws.key, EventsDocument, { first: 5, filter: { types: ['Order Completed'] } });
  expect(events.events.edges[0].node).toMatchObject({ value: 99.9, source: 'segment', occurredAt: '2026-11-01T12:00:00.000Z' });

  const retry = await post('/v1/batch', batch);
  expect(retry.body).toMatchObject({ accepted: 0, duplicates: 2 });
});

test('single /v1/track with Segment-style Basic auth (key as user name)', async () => {
  const basic = `Basic ${Buffer.from(`${ws.key}:`).toString('base64')}`;
  const res = await post('/v1/track', { userId: 'u-7', event: 'Signed Up', messageId: 'abc' }, basic);
  expect(res).toMatchObject({ status: 200, body: { success: true, accepted: 1, contactsCreated: 1 } });
});

test('malformed JSON, a missing batch array, an oversized batch: 400 with the reason, nothing stored', async () => {
  const bad = await post('/v1/batch', '{"batch": [ {"type": "track", ');
  expect(bad.status).toBe(400);
  expect(bad.body.error).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/malformed JSON/) });
  expect((await post('/v1/batch', { events: [] })).body.error.issues).toEqual([{ path: ['batch'], message: 'must be an array of messages' }]);
  const huge = await post('/v1/batch', { batch: Array.from({ length: 10_001 }, (_, i) => ({ type: 'track', userId: 'u', event: 'e', messageId: `h${i}` })) });
  expect(huge.status).toBe(400);
  expect((await gqlOk(app, ws.key, ContactsPageDocument, { first: 1 })).contacts.totalCount).toBe(0);
});

test('authentication and scope: no key 401, a READ key 403', async () => {
  const none = await app.yoga.fetch('http://personae.test/v1/track', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  expect(none.status).toBe(401);
  const reader = await createKey(app, ws.workspaceId, 'READ');
  const denied = await post('/v1/track', { userId: 'u', event: 'e' }, `Bearer ${reader}`);
  expect(denied.status).toBe(403);
  expect(denied.body.error.code).toBe('FORBIDDEN');
});
