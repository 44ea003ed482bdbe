// The analytics response cache (api/yoga-plugins/use-analytics-response-cache.ts): a repeated
// dashboard request runs no SQL; entries never cross workspaces or key scopes, nor reach a
// request without a valid key; a change event or a mutation of the workspace drops them at once
// (the TTL here is a minute, so only the drop can explain fresh figures); other queries, and
// documents mixing them with analytics fields, are never cached; query limits are unchanged;
// WebSocket queries bypass it.
import type { App } from '../../api/app';
import { applyMessageEvents } from '../../core/delivery/message-events';
import { countStatements, createKey, createTestApp, createTestWorkspace, startTestServer, type TestWorkspace } from '../support/test-app';
import { errorCodes, gql, gqlOk } from '../support/graphql-client';
import { CampaignDashboardDocument, PauseCampaignDocument } from '../generated/graphql';
import { seedCampaign, seedContacts, seedPersona } from '../analytics/support/analytics-fixtures';
import { recordEvents, recordStatuses } from '../analytics/support/simulated-delivery';
import { wsClient } from '../analytics/support/subscription-client';
import { encodeGlobalID } from '@pothos/plugin-relay';

let app: App;

beforeAll(async () => {
  app = await createTestApp({ execution: { responseCache: { ttlMs: 60_000 } } });
});
afterAll(() => app.close());

const dashboard = (key: string) => gqlOk(app, key, CampaignDashboardDocument, { first: 10 });
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const OVERVIEW = `{ analyticsOverview(from: "${day(-30)}T00:00:00Z", to: "${day(2)}T00:00:00Z", bucket: DAY) { current { sent opened } } }`;

/** A SENDING campaign named `name` with `sent` of its 6 messages sent and the first one opened. */
async function campaign(ws: TestWorkspace, name: string, sent = 4) {
  const contacts = await seedContacts(ws.ctx, 6);
  await seedPersona(ws.ctx, `p-${contacts[0]}`, contacts.slice(0, 3));
  const c = await seedCampaign(ws.ctx, { contactIds: contacts, variants: 2, name });
  await recordStatuses(ws.ctx, c.messageIds.slice(0, sent).map((id) => ({ id, status: 'SENT' as const, sentAt: new Date() })));
  await recordEvents(ws.ctx, [{ messageId: c.messageIds[0], type: 'open', occurredAt: new Date() }]);
  return c;
}

test('a repeated dashboard or overview request is answered without SQL', async () => {
  const ws = await createTestWorkspace(app);
  await campaign(ws, 'Cached');
  const WITH_CAMPAIGN = '{ campaignDashboard(first: 10) { edges { node { campaign { name variants { name } } } } } }'; // Prisma-backed: graphql-js
  const lookups = async () => {
    const metric = await app.metrics.responseCacheLookups.get();
    const of = (result: string) => metric.values.find((v) => v.labels.result === result)?.value ?? 0;
    return { hit: of('hit'), miss: of('miss') };
  };
  const before = await lookups();
  for (const query of [CampaignDashboardDocument, OVERVIEW, WITH_CAMPAIGN]) {
    const first = await countStatements(app, () => gqlOk(app, ws.key, query, { first: 10 }));
    const second = await countStatements(app, () => gqlOk(app, ws.key, query, { first: 10 }));
    expect(first.statements.length).toBeGreaterThan(0);
    expect(second.statements).toEqual([]);
    expect(second.result).toEqual(first.result);
  }
  // Operators see it on /metrics: three misses (executed), three hits (not executed). Other
  // test files run in their own processes, so nothing else moves this process's counter.
  const after = await lookups();
  expect({ hit: after.hit - before.hit, miss: after.miss - before.miss }).toEqual({ hit: 3, miss: 3 });
});

test('identical requests of two workspaces, or of two key scopes, get their own responses', async () => {
  const a = await createTestWorkspace(app);
  const b = await createTestWorkspace(app);
  await campaign(a, 'Only in A', 4);
  await campaign(b, 'Only in B', 2);
  for (let round = 0; round < 2; round++) {
    const [pa, pb] = await Promise.all([dashboard(a.key), dashboard(b.key)]);
    expect(pa.campaignDashboard.edges.map((e) => [e.node.name, e.node.metrics.sent])).toEqual([['Only in A', 4]]);
    expect(pb.campaignDashboard.edges.map((e) => [e.node.name, e.node.metrics.sent])).toEqual([['Only in B', 2]]);
  }
  // A's ADMIN key has the page cached; its READ key executes once, then has its own entry.
  const read = await createKey(app, a.workspaceId, 'READ');
  await gql(app, read, '{ __typename }'); // the key is verified outside the counts
  const firstRead = await countStatements(app, () => dashboard(read));
  expect(firstRead.statements.length).toBeGreaterThan(0);
  expect(firstRead.result.campaignDashboard.edges.map((e) => e.node.name)).toEqual(['Only in A']);
  const secondRead = await countStatements(app, () => dashboard(read));
  expect(secondRead.statements).toEqual([]);
  // No key, or a wrong one: an error, never the cached page.
  const none = await gql(app, null, CampaignDashboardDocument, { first: 10 });
  const wrong = await gql(app, `${a.key.slice(0, -4)}xxxx`, CampaignDashboardDocument, { first: 10 });
  expect(none.data?.campaignDashboard ?? null).toBeNull();
  expect(errorCodes(none).length).toBeGreaterThan(0);
  expect(wrong.data?.campaignDashboard ?? null).toBeNull();
  expect(errorCodes(wrong).length).toBeGreaterThan(0);
});

test('a figure change event drops the workspace\'s entries at once; a silent write does not', async () => {
  const ws = await createTestWorkspace(app);
  const other = await createTestWorkspace(app);
  const c = await campaign(ws, 'Changing');
  await campaign(other, 'Elsewhere');
  expect((await dashboard(ws.key)).campaignDashboard.edges[0].node.metrics.opened).toBe(1);
  await dashboard(other.key);

  // Written without announcing it (no event): the cached page stands — the cache is in use.
  await recordEvents(ws.ctx, [{ messageId: c.messageIds[1], type: 'open', occurredAt: new Date() }]);
  expect((await dashboard(ws.key)).campaignDashboard.edges[0].node.metrics.opened).toBe(1);

  // Applied the way webhooks and the tracking pixel apply them: message.events.applied.
  await applyMessageEvents(app.core, ws.workspaceId, [{ messageId: BigInt(c.messageIds[2]), type: 'open', occurredAt: new Date(), source: 'test', dedupeKey: `t:${c.messageIds[2]}` }]);
  await app.core.bus.idle();
  expect((await dashboard(ws.key)).campaignDashboard.edges[0].node.metrics.opened).toBe(3);
  // The other workspace's entry was not dropped.
  const untouched = await countStatements(app, () => dashboard(other.key));
  expect(untouched.statements).toEqual([]);
});

test('a mutation of the workspace drops its entries: its effect shows in the next dashboard', async () => {
  const ws = await createTestWorkspace(app);
  const c = await campaign(ws, 'Pausing');
  expect((await dashboard(ws.key)).campaignDashboard.edges[0].node.status).toBe('SENDING');
  await gqlOk(app, ws.key, PauseCampaignDocument, { id: encodeGlobalID('Campaign', String(c.campaignId)), reason: 'test' });
  expect((await dashboard(ws.key)).campaignDashboard.edges[0].node.status).toBe('PAUSED');
  // Any mutation, even one announcing nothing the cache listens to: a rename written silently
  // stays hidden until then.
  await ws.ctx.db.sql.query('UPDATE campaigns SET name = ? WHERE id = ?', ['Renamed', c.campaignId]);
  expect((await dashboard(ws.key)).campaignDashboard.edges[0].node.name).toBe('Pausing');
  await gqlOk(app, ws.key, 'mutation ($input: ContactInput!) { createContact(input: $input) { id } }', { input: { email: `m-${ws.workspaceId}@example.com` } });
  expect((await dashboard(ws.key)).campaignDashboard.edges[0].node.name).toBe('Renamed');
});

test('a campaign created, edited or deleted in another process drops the entries through its event', async () => {
  const ws = await createTestWorkspace(app);
  const c = await campaign(ws, 'Before');
  expect((await dashboard(ws.key)).campaignDashboard.edges[0].node.name).toBe('Before');
  await ws.ctx.db.sql.query('UPDATE campaigns SET name = ? WHERE id = ?', ['After', c.campaignId]);
  // What core's createCampaign / updateCampaign / deleteCampaign announce, from whichever process ran them.
  app.core.events.emit('campaign.changed', { workspaceId: ws.workspaceId, campaignId: c.campaignId, change: 'updated' });
  await app.core.bus.idle();
  expect((await dashboard(ws.key)).campaignDashboard.edges[0].node.name).toBe('After');
});

test('other queries, and documents mixing them with analytics fields, are never cached', async () => {
  const ws = await createTestWorkspace(app);
  await campaign(ws, 'Mixed');
  const CONTACTS = '{ contacts(first: 50) { totalCount } }';
  const MIXED = '{ campaignDashboard(first: 5) { edges { node { name } } } contacts(first: 50) { totalCount } }';
  for (const query of [CONTACTS, MIXED]) {
    await gqlOk(app, ws.key, query);
    const again = await countStatements(app, () => gqlOk(app, ws.key, query));
    expect(again.statements.length).toBeGreaterThan(0);
  }
  // Read-your-writes: a contact created between two identical queries is in the second.
  const before = await gqlOk<{ contacts: { totalCount: number } }>(app, ws.key, CONTACTS);
  await gqlOk(app, ws.key, 'mutation ($input: ContactInput!) { createContact(input: $input) { id } }', { input: { email: `new-${ws.workspaceId}@example.com` } });
  const after = await gqlOk<{ contacts: { totalCount: number } }>(app, ws.key, CONTACTS);
  expect(after.contacts.totalCount).toBe(before.contacts.totalCount + 1);
});

test('query limits count the client\'s document, as without the cache', async () => {
  const uncached = await createTestApp({ env: { GRAPHQL_MAX_COMPLEXITY: '10' }, execution: { responseCache: false } });
  let exact: App | null = null;
  try {
    const ws = await createTestWorkspace(uncached);
    await campaign(ws, 'At the limit');
    const tooComplex = await gql(uncached, ws.key, CampaignDashboardDocument, { first: 20 });
    const complexity = Number(/complexity (\d+)/.exec(tooComplex.errors?.[0]?.message ?? '')?.[1]);
    expect(complexity).toBeGreaterThan(10);
    // Exactly at the limit: allowed, and then cached.
    exact = await createTestApp({ env: { GRAPHQL_MAX_COMPLEXITY: String(complexity) }, execution: { responseCache: { ttlMs: 60_000 } } });
    await gqlOk(exact, ws.key, CampaignDashboardDocument, { first: 20 });
    const again = await countStatements(exact, () => gqlOk(exact!, ws.key, CampaignDashboardDocument, { first: 20 }));
    expect(again.statements).toEqual([]);
  } finally {
    await uncached.close();
    await exact?.close();
  }
});

test('a dashboard query over WebSocket runs as before (the cache is HTTP only)', async () => {
  const ws = await createTestWorkspace(app);
  await campaign(ws, 'Over a socket');
  const server = await startTestServer(app);
  const client = wsClient(server.url, ws.key);
  try {
    const query = 'query ($first: Int!) { campaignDashboard(first: $first) { edges { node { name metrics { sent } } } } }';
    for (let i = 0; i < 2; i++) {
      const result = await new Promise<unknown>((resolve, reject) => {
        let value: unknown;
        client.subscribe({ query, variables: { first: 5 } }, { next: (r) => (value = r), error: reject, complete: () => resolve(value) });
      });
      expect(result).toEqual({ data: { campaignDashboard: { edges: [{ node: { name: 'Over a socket', metrics: { sent: 4 } } }] } } });
    }
  } finally {
    await client.dispose();
    await server.close(1000);
  }
});
