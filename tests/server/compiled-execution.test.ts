// Compiled execution (api/yoga-plugins/use-compiled-execution.ts): which operations graphql-jit
// runs, and that for those it answers exactly as graphql-js does — data, errors, HTTP status —
// checked by sending the same requests to an app with it and an app without it.
import { parse, print, type OperationDefinitionNode } from 'graphql';
import type { App } from '../../api/app';
import { jitSafety } from '../../api/yoga-plugins/jit-safety';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { gql } from '../support/graphql-client';
import { CampaignDashboardDocument } from '../generated/graphql';
import { seedCampaign, seedContacts, seedPersona } from '../analytics/support/analytics-fixtures';
import { recordEvents, recordStatuses } from '../analytics/support/simulated-delivery';

let compiled: App;
let interpreted: App;
let ws: TestWorkspace;

beforeAll(async () => {
  // A complexity limit a 20-campaign page exceeds and a 2-campaign page does not.
  const env = { GRAPHQL_MAX_COMPLEXITY: '200' };
  compiled = await createTestApp({ env });
  interpreted = await createTestApp({ env, execution: { jit: false } });
  ws = await createTestWorkspace(compiled);
  const contacts = await seedContacts(ws.ctx, 6);
  await seedPersona(ws.ctx, `p-${contacts[0]}`, contacts.slice(0, 3));
  for (let i = 0; i < 3; i++) {
    const c = await seedCampaign(ws.ctx, { contactIds: contacts, variants: 2, name: `Campaign ${i}` });
    await recordStatuses(ws.ctx, c.messageIds.slice(0, 4).map((id) => ({ id, status: 'SENT' as const, sentAt: new Date() })));
    await recordEvents(ws.ctx, [{ messageId: c.messageIds[0], type: 'open', occurredAt: new Date() }]);
  }
});
afterAll(async () => {
  await compiled.close();
  await interpreted.close();
});

const verdict = (source: string) => {
  const doc = parse(source);
  return jitSafety()(compiled.schema, doc, doc.definitions[0] as OperationDefinitionNode);
};

test('graphql-jit runs queries without Prisma-backed types or recursive inputs, nothing else', () => {
  expect(verdict('query ($n: Int!) { campaignDashboard(first: $n) { edges { node { id metrics { sent variants { name } personas { name } } } } } }')).toBe(true);
  expect(verdict('{ analyticsOverview(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { current { sent } } }')).toBe(true);
  // The Prisma plugin finds preloaded relations by graphql-js' path objects.
  expect(verdict('{ contacts(first: 2) { edges { node { id } } } }')).toBe(false);
  expect(verdict('{ campaignDashboard(first: 2) { edges { node { campaign { id } } } } }')).toBe(false);
  expect(verdict('query ($id: ID!) { node(id: $id) { id } }')).toBe(false); // abstract: may be a Prisma type
  expect(verdict('mutation { __typename }')).toBe(false);
  expect(verdict('subscription ($id: ID!) { campaignStats(campaignId: $id) { sent } }')).toBe(false);
  // graphql-jit's variable compiler does not terminate on recursive input types.
  const recursive = Object.values(compiled.schema.getTypeMap()).find((t) => t.name === 'PersonaRuleInput');
  expect(recursive).toBeDefined();
  expect(verdict('query ($r: PersonaRuleInput!) { __typename }')).toBe(false);
});

test('the same answers with and without compilation: data, variable errors, limits', async () => {
  const DASHBOARD = print(CampaignDashboardDocument);
  const requests: [string, Record<string, unknown>][] = [
    [DASHBOARD, { first: 2 }],
    [DASHBOARD, { first: 20, after: null }],
    [DASHBOARD, { first: 'many' }],
    [DASHBOARD, { first: 2, after: 'not-a-cursor' }],
    [DASHBOARD, {}],
    ['query ($from: DateTime!) { analyticsOverview(from: $from, to: "2030-01-01T00:00:00Z") { current { sent openRate } changes { metric change } } }', { from: 'yesterday' }],
    ['query ($from: DateTime!) { analyticsOverview(from: $from, to: "2030-01-01T00:00:00Z") { current { sent openRate } changes { metric change } } }', { from: '2020-01-01T00:00:00Z' }],
    ['{ campaignDashboard(first: 100) { edges { node { metrics { personas(limit: 100) { name } } } } } }', {}],
  ];
  const codes: string[] = [];
  for (const [query, variables] of requests) {
    const [a, b] = await Promise.all([gql(compiled, ws.key, query, variables), gql(interpreted, ws.key, query, variables)]);
    expect({ query, variables, status: a.status, data: a.data, errors: a.errors }).toEqual({ query, variables, status: b.status, data: b.data, errors: b.errors });
    codes.push(...(a.errors ?? []).map((e) => String(e.extensions?.code)));
  }
  // The comparison covered successes and each kind of failure.
  expect(codes).toEqual(expect.arrayContaining(['BAD_USER_INPUT', 'QUERY_TOO_COMPLEX']));
  const page = await gql<{ campaignDashboard: { edges: unknown[] } }>(compiled, ws.key, CampaignDashboardDocument, { first: 3 });
  expect(page.data!.campaignDashboard.edges).toHaveLength(3);
});
