// Depth, complexity, alias limits and the per-key request rate limit, with clear errors.
import type { App } from '../../api/app';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { gql, errorCodes } from '../support/graphql-client';

let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp({ env: { GRAPHQL_MAX_DEPTH: '5', GRAPHQL_MAX_COMPLEXITY: '500', GRAPHQL_MAX_ALIASES: '3', RATE_LIMIT_PER_MINUTE: '5' } });
  ws = await createTestWorkspace(app);
});
afterAll(() => app.close());

test('limits and the rate limit', async () => {
  // Requests are counted per key; this test uses one key and stays within 5 requests until the end.
  const deep = await gql(app, ws.key, '{ contacts(first: 1) { edges { node { recentEvents(limit: 1) { contact { recentEvents(limit: 1) { id } } } } } } }');
  expect(errorCodes(deep)).toEqual(['QUERY_TOO_COMPLEX']);
  expect(deep.errors![0].message).toMatch(/^query depth \d+ exceeds the limit of 5$/);

  const costly = await gql(app, ws.key, '{ contacts(first: 200) { edges { node { recentEvents(limit: 100) { id } } } } }');
  expect(errorCodes(costly)).toEqual(['QUERY_TOO_COMPLEX']);
  expect(costly.errors![0].message).toMatch(/^query complexity \d+ exceeds the limit of 500$/);

  const aliased = await gql(app, ws.key, '{ a: workspace { id } b: workspace { id } c: workspace { id } d: workspace { id } }');
  expect(aliased.errors![0].message).toMatch(/Aliases limit of 3 exceeded/);

  const fine = await gql(app, ws.key, '{ contacts(first: 5) { totalCount } }');
  expect(fine.errors).toBeUndefined();

  await gql(app, ws.key, '{ __typename }'); // 5th request
  const limited = await gql(app, ws.key, '{ __typename }');
  expect(limited.status).toBe(429);
  expect(errorCodes(limited)).toEqual(['RATE_LIMITED']);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

  // The budget is per key: another key of the same workspace is unaffected.
  const other = await createTestWorkspace(app);
  expect((await gql(app, other.key, '{ __typename }')).status).toBe(200);
});
