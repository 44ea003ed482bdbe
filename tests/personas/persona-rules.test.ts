// Rule semantics, condition by condition, evaluated by previewPersona against a small
// workspace whose expected answers are easy to read off the fixture.
import type { App } from '../../api/app';
import type { WorkspaceContext } from '../../core/context';
import { updateContact } from '../../core/contacts/contacts.service';
import { computeProfiles } from '../../core/profiles/compute-profiles';
import { createPersona, previewPersona } from '../../core/personas/personas.service';
import { compileRule, membersQuery, type CompiledRule } from '../../core/personas/rule-compile';
import { loadRuleEnv } from '../../core/personas/rule-env';
import type { PersonaRule } from '../../core/personas/rule-types';
import type { RowDataPacket } from 'mysql2/promise';
import { createTestApp, createTestWorkspace } from '../support/test-app';
import { contact, daysAgo, defineAttributes, fixedClock, scores, track } from './persona-fixtures';

let app: App;
let ctx: WorkspaceContext;
let ids: Record<'ann' | 'ben' | 'cat' | 'dan' | 'eve', number>;
let names: Map<number, string>;

beforeAll(async () => {
  app = await createTestApp();
  // One workspace for the whole file: every test here only reads it (preview saves nothing).
  ctx = fixedClock((await createTestWorkspace(app)).ctx, new Date());
  await defineAttributes(ctx);
  const min = (m: number) => new Date(ctx.now().getTime() - m * 60_000);
  ids = {
    ann: await contact(ctx, 'ann@example.com', { attributes: { age: 30, region: 'north', vip: true }, consentStatus: 'SUBSCRIBED' }),
    ben: await contact(ctx, 'ben@example.org', { attributes: { age: 45, region: 'south', occupation: 'software_engineer' }, consentStatus: 'UNSUBSCRIBED' }),
    cat: await contact(ctx, 'cat@example.com', { attributes: { age: 22, region: 'north', vip: false } }),
    dan: await contact(ctx, 'dan@example.com'),
    eve: await contact(ctx, 'eve@example.com', { attributes: { age: 65, region: 'west' }, consentStatus: 'SUBSCRIBED' }),
  };
  names = new Map(Object.entries(ids).map(([k, v]) => [v, k]));
  const shoes = { category: 'shoes' };
  await track(ctx, [
    { contactId: ids.ann, type: 'purchase', value: 40, occurredAt: daysAgoNow(5), properties: shoes },
    { contactId: ids.ann, type: 'purchase', value: 40, occurredAt: daysAgoNow(10), properties: shoes },
    { contactId: ids.ann, type: 'add_to_cart', occurredAt: daysAgoNow(3), properties: shoes },
    { contactId: ids.ann, type: 'purchase', value: 40, occurredAt: new Date(daysAgoNow(3).getTime() + 30 * 60_000), properties: { category: 'hats' } },
    { contactId: ids.ben, type: 'purchase', value: 15, occurredAt: daysAgoNow(5), properties: shoes },
    { contactId: ids.ben, type: 'add_to_cart', occurredAt: daysAgoNow(2), properties: shoes },
    ...[40, 50, 60].map((d) => ({ contactId: ids.cat, type: 'purchase', value: 50, occurredAt: daysAgoNow(d), properties: shoes })),
    { contactId: ids.cat, type: 'add_to_cart', occurredAt: min(10), properties: shoes },
    { contactId: ids.eve, type: 'purchase', value: 200, occurredAt: daysAgoNow(1), properties: { items: [{ sku: 'S1', category: 'shoes' }] } },
  ]);
  await computeProfiles(ctx);
  await scores(app, ctx, 'purchase-30d', [[ids.ann, 0.9], [ids.ben, 0.5], [ids.cat, 0.75], [ids.dan, 0.1]]);
});
afterAll(async () => {
  await app.close();
});

function daysAgoNow(days: number): Date {
  return new Date(ctx.now().getTime() - days * 86_400_000);
}

/** Names of the contacts a rule selects, sorted. */
async function who(rule: unknown): Promise<string[]> {
  const r = await previewPersona(ctx, { rule, sampleSize: 100 });
  expect(r.count).toBe(r.sampleContactIds.length);
  return r.sampleContactIds.map((id) => names.get(id)!).sort();
}

test('event conditions: property filter, count over a window, and category inside purchase items', async () => {
  const shoes2in30 = { event: { type: 'purchase', where: [{ property: 'category', op: 'EQ', value: 'shoes' }], within: 'P30D', count: { op: 'GTE', value: 2 } } };
  expect(await who(shoes2in30)).toEqual(['ann']);
  expect(await who({ event: { type: 'purchase', where: [{ property: 'category', op: 'EQ', value: 'shoes' }], within: 'P30D' } })).toEqual(['ann', 'ben', 'eve']);
  expect(await who({ event: { type: 'purchase', within: 'P90D', count: { op: 'GTE', value: 3 } } })).toEqual(['ann', 'cat']);
});

test('a grouped event term joined first selects exactly what the plain condition selects', async () => {
  const env = await loadRuleEnv(ctx);
  const members = async (compiled: CompiledRule) => {
    const [sql, params] = membersQuery(compiled, ctx.workspaceId);
    const [rows] = await app.core.db.sql.query<RowDataPacket[]>(sql, params);
    return rows.map((r) => names.get(Number(r.id))).sort();
  };
  const p90 = { event: { type: 'purchase', within: 'P90D', count: { op: 'GTE', value: 3 } } };
  const shoes2in30 = { event: { type: 'purchase', where: [{ property: 'category', op: 'EQ', value: 'shoes' }], within: 'P30D', count: { op: 'GTE', value: 2 } } };
  const cases: [unknown, string[]][] = [
    [p90, ['ann', 'cat']],
    [{ and: [p90, { not: shoes2in30 }] }, ['cat']],
    [{ and: [{ attribute: { key: 'region', op: 'EQ', value: 'north' } }, p90, { profile: { field: 'monetaryTotal', op: 'GTE', value: 130 } }] }, ['cat']],
  ];
  for (const [rule, expected] of cases) {
    const compiled = compileRule(rule as PersonaRule, env, { workspaceId: ctx.workspaceId, now: ctx.now() });
    expect(compiled.driver).toBeDefined();
    expect(await members(compiled)).toEqual(expected);
    expect(await members({ ...compiled, driver: undefined })).toEqual(expected);
  }
  // Under OR or NOT a term is not necessary for membership: nothing is joined first.
  expect(compileRule({ or: [p90, shoes2in30] } as PersonaRule, env, { workspaceId: ctx.workspaceId, now: ctx.now() }).driver).toBeUndefined();
  expect(compileRule({ not: p90 } as PersonaRule, env, { workspaceId: ctx.workspaceId, now: ctx.now() }).driver).toBeUndefined();
});

test('counts and sums that zero satisfies include contacts with no matching events', async () => {
  expect(await who({ event: { type: 'purchase', within: 'P30D', count: { op: 'EQ', value: 0 } } })).toEqual(['cat', 'dan']);
  expect(await who({ event: { type: 'purchase', within: 'P30D', count: { op: 'LT', value: 2 } } })).toEqual(['ben', 'cat', 'dan', 'eve']);
  expect(await who({ event: { type: 'purchase', within: 'P30D', sum: { op: 'GTE', value: 100 } } })).toEqual(['ann', 'eve']);
});

test('sequences: add_to_cart not followed by a purchase within an hour (only once the hour has passed), and followed', async () => {
  const seq = (followed: boolean) => ({ sequence: { first: { type: 'add_to_cart' }, then: { type: 'purchase' }, within: 'PT1H', followed } });
  expect(await who(seq(false))).toEqual(['ben']);
  expect(await who(seq(true))).toEqual(['ann']);
});

test('attributes are compared by their declared type, and NOT inverts exactly even for missing values', async () => {
  const ageBand = { attribute: { key: 'age', op: 'BETWEEN', value: [25, 50] } };
  expect(await who(ageBand)).toEqual(['ann', 'ben']);
  expect(await who({ not: ageBand })).toEqual(['cat', 'dan', 'eve']);
  expect(await who({ attribute: { key: 'vip', op: 'EQ', value: true } })).toEqual(['ann']);
  expect(await who({ attribute: { key: 'vip', op: 'NOT_EXISTS' } })).toEqual(['ben', 'dan', 'eve']);
  expect(await who({ attribute: { key: 'occupation', op: 'CONTAINS', value: 'engineer' } })).toEqual(['ben']);
  expect(await who({ attribute: { key: 'occupation', op: 'CONTAINS', value: '%' } })).toEqual([]);
  expect(await who({ and: [{ attribute: { key: 'region', op: 'IN', value: ['north', 'west'] } }, { consent: { in: ['SUBSCRIBED'] } }] })).toEqual(['ann', 'eve']);
  expect(await who({ or: [{ contact: { field: 'emailDomain', op: 'EQ', value: 'example.org' } }, { attribute: { key: 'age', op: 'GT', value: 60 } }] })).toEqual(['ben', 'eve']);
});

test('profile features and interests', async () => {
  expect(await who({ profile: { field: 'monetaryTotal', op: 'GTE', value: 150 } })).toEqual(['cat', 'eve']);
  // First seen within 30 days is NEW whatever the activity; cat's first purchase was 60 days ago.
  expect(await who({ profile: { field: 'lifecycleStage', op: 'EQ', value: 'NEW' } })).toEqual(['ann', 'ben', 'dan', 'eve']);
  expect(await who({ profile: { field: 'lifecycleStage', op: 'EQ', value: 'ACTIVE' } })).toEqual(['cat']);
  expect(await who({ profile: { field: 'recencyDays', op: 'LTE', value: 3 } })).toEqual(['ann', 'eve']);
  expect(await who({ profile: { field: 'lastPurchaseAt', op: 'NOT_WITHIN_LAST', value: 'P30D' } })).toEqual(['cat', 'dan']);
  expect(await who({ interest: { category: 'shoes', op: 'GTE', value: 0.99 } })).toEqual(['ben', 'cat', 'eve']);
  // Dan has no interests at all: a score of 0 satisfies "below 0.1".
  expect(await who({ interest: { category: 'hats', op: 'LT', value: 0.1 } })).toEqual(['ben', 'cat', 'dan', 'eve']);
});

test('propensity scores: threshold and top N percent; unscored contacts match neither', async () => {
  expect(await who({ score: { target: 'purchase-30d', op: 'GTE', value: 0.7 } })).toEqual(['ann', 'cat']);
  expect(await who({ scoreTop: { target: 'purchase-30d', percent: 50 } })).toEqual(['ann', 'cat']);
  expect(await who({ scoreTop: { target: 'purchase-30d', percent: 25 } })).toEqual(['ann']);
});

test('membership of another persona, evaluated on its materialised members', async () => {
  const ws2 = fixedClock((await createTestWorkspace(app)).ctx, ctx.now());
  // Reuse this file's workspace through a second context only for the saved persona.
  const shoeLovers = await createPersona(ctx, { slug: `shoe-lovers`, name: 'Shoe lovers', rule: { interest: { category: 'shoes', op: 'GTE', value: 0.5 } } });
  expect(shoeLovers.refresh.size).toBe(4);
  expect(await who({ and: [{ persona: { slug: 'shoe-lovers' } }, { consent: { in: ['SUBSCRIBED'] } }] })).toEqual(['ann', 'eve']);
  // A persona of another workspace is invisible.
  await expect(previewPersona(ws2, { rule: { persona: { slug: 'shoe-lovers' } } })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: ['rule', 'persona', 'slug'] }] });
  // A changed attribute is picked up by a rule on the next evaluation.
  await updateContact(ctx, ids.dan, { attributes: { region: 'north' } });
  expect(await who({ attribute: { key: 'region', op: 'EQ', value: 'north' } })).toEqual(['ann', 'cat', 'dan']);
});
