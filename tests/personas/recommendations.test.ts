import type { App } from '../../api/app';
import type { WorkspaceContext } from '../../core/context';
import { createPersona } from '../../core/personas/personas.service';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { errorCodes, gql, gqlOk } from '../support/graphql-client';
import { AssociationRulesDocument, MineAssociationRulesDocument, RecommendationsDocument } from '../generated/graphql';
import { contact, defineAttributes, track } from './persona-fixtures';
import { encodeGlobalID } from '@pothos/plugin-relay';

let app: App;
let ws: TestWorkspace;
let ctx: WorkspaceContext;

const BASKETS = [
  ['bread', 'milk'],
  ['bread', 'butter', 'milk'],
  ['bread', 'butter'],
  ['milk', 'eggs'],
  ['bread', 'butter', 'milk', 'eggs'],
  ['jam'],
];

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});
beforeEach(async () => {
  ws = await createTestWorkspace(app);
  ctx = ws.ctx;
  await defineAttributes(ctx);
});

/** Support counts of every item set, by brute force over all subsets of every basket. */
function bruteCounts(baskets: string[][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const b of baskets) {
    const items = [...new Set(b)].sort();
    for (let mask = 1; mask < 1 << items.length; mask++) {
      const key = items.filter((_, i) => mask & (1 << i)).join('|');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

test('mined rules match a brute-force count: support, confidence and lift, and every qualifying rule is found', async () => {
  const buyer = await contact(ctx, 'buyer@example.com');
  // Single-item purchases carry properties.sku; the others list items.
  await track(ctx, BASKETS.map((b, i) => ({
    contactId: buyer, type: 'purchase', value: 10, occurredAt: new Date(Date.now() - (i + 1) * 3600_000),
    properties: b.length === 1 ? { sku: b[0] } : { items: b.map((sku) => ({ sku, quantity: 1 })) },
  })));
  const { mineAssociationRules: set } = await gqlOk(app, ws.key, MineAssociationRulesDocument, { itemKey: 'SKU', minSupport: 0.3, minConfidence: 0.6, minLift: 1 });
  expect(set.transactions).toBe(6);

  const counts = bruteCounts(BASKETS);
  const n = BASKETS.length;
  const expected: string[] = [];
  for (const [key, c] of counts) {
    const items = key.split('|');
    if (items.length < 2 || c / n < 0.3) continue;
    for (let mask = 1; mask < (1 << items.length) - 1; mask++) {
      const a = items.filter((_, i) => mask & (1 << i));
      const b = items.filter((_, i) => !(mask & (1 << i)));
      const conf = c / counts.get(a.join('|'))!;
      const lift = conf / (counts.get(b.join('|'))! / n);
      if (conf >= 0.6 && lift >= 1) expected.push(`${a.join('+')}=>${b.join('+')} ${(c / n).toFixed(4)} ${conf.toFixed(4)} ${lift.toFixed(4)}`);
    }
  }
  const got = set.rules.map((r) => `${[...r.antecedent].sort().join('+')}=>${[...r.consequent].sort().join('+')} ${r.support.toFixed(4)} ${r.confidence.toFixed(4)} ${r.lift.toFixed(4)}`);
  expect(got.sort()).toEqual(expected.sort());
  expect(expected).toContain('bread=>butter 0.5000 0.7500 1.5000');

  const stored = await gqlOk(app, ws.key, AssociationRulesDocument, { itemKey: 'SKU' });
  expect(stored.associationRules!.id).toBe(set.id);
  expect(stored.associationRules!.rules[0].lift).toBe(Math.max(...set.rules.map((r) => r.lift)));
});

test('recommendations: rules on what the contact bought first, then what their persona buys, then best sellers; never what they own', async () => {
  const shopper = await contact(ctx, 'shopper@example.com', { attributes: { region: 'north' } });
  const others = await contact(ctx, 'others@example.com');
  const mate = await contact(ctx, 'mate@example.com', { attributes: { region: 'north' } });
  const t = (h: number) => new Date(Date.now() - h * 3600_000);
  await track(ctx, [
    ...BASKETS.slice(0, 5).map((b, i) => ({ contactId: others, type: 'purchase', value: 5, occurredAt: t(i + 10), properties: { items: b.map((sku) => ({ sku })) } })),
    { contactId: shopper, type: 'purchase', value: 5, occurredAt: t(2), properties: { sku: 'bread' } },
    { contactId: mate, type: 'purchase', value: 5, occurredAt: t(3), properties: { sku: 'jam' } },
    { contactId: others, type: 'purchase', value: 5, occurredAt: t(4), properties: { sku: 'tea' } },
  ]);
  await gqlOk(app, ws.key, MineAssociationRulesDocument, { itemKey: 'SKU', minSupport: 0.3, minConfidence: 0.5, minLift: 0 });
  await createPersona(ctx, { slug: 'north', name: 'North', rule: { attribute: { key: 'region', op: 'EQ', value: 'north' } } });

  const { recommendations } = await gqlOk(app, ws.key, RecommendationsDocument, { contactId: encodeGlobalID('Contact', String(shopper)), n: 10, itemKey: 'SKU' });
  expect(recommendations.map((r) => [r.item, r.source])).toEqual([
    ['butter', 'rules'], ['milk', 'rules'], ['jam', 'persona'], ['eggs', 'popular'], ['tea', 'popular'],
  ]);
  expect(recommendations[0].reason).toMatch(/bought together with bread/);
  expect(recommendations.map((r) => r.item)).not.toContain('bread');

  const bad = await gql(app, ws.key, RecommendationsDocument, { contactId: encodeGlobalID('Contact', String(shopper)), n: 0, itemKey: 'SKU' });
  expect(bad.errors![0].extensions!.issues).toEqual([{ path: ['n'], message: expect.any(String) }]);
  const other = await createTestWorkspace(app);
  expect(errorCodes(await gql(app, other.key, RecommendationsDocument, { contactId: encodeGlobalID('Contact', String(shopper)), n: 3, itemKey: 'SKU' }))).toEqual(['NOT_FOUND']);
});

test('mining thresholds are validated and nothing is stored for a bad request', async () => {
  const res = await gql(app, ws.key, MineAssociationRulesDocument, { itemKey: 'SKU', minSupport: 0, minConfidence: 2, minLift: 1 });
  expect(res.errors![0].extensions!.issues!.map((i) => i.path[0])).toEqual(['minSupport', 'minConfidence']);
  expect((await gqlOk(app, ws.key, AssociationRulesDocument, { itemKey: 'SKU' })).associationRules).toBeNull();
});
