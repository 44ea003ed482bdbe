// The audience snapshot compiles contact filters to SQL for INSERT … SELECT; the contact list
// uses Prisma. Both must select the same contacts for every operator and type.
import type { App } from '../../api/app';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { defineAttribute } from '../../core/attributes/attribute-definitions';
import { buildContactWhere, type ContactFilter } from '../../core/contacts/contact-filter';
import { audienceSql, countAudience } from '../../core/campaigns/audience';
import { ValidationError } from '../../core/errors';
import { seedContacts } from './campaign-fixtures';

let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
  await defineAttribute(ws.ctx, { key: 'age', type: 'NUMBER' });
  await defineAttribute(ws.ctx, { key: 'tier', type: 'ENUM', enumValues: ['gold', 'silver', 'Gold'] });
  await defineAttribute(ws.ctx, { key: 'city', type: 'STRING' });
  await defineAttribute(ws.ctx, { key: 'vip', type: 'BOOLEAN' });
  await defineAttribute(ws.ctx, { key: 'since', type: 'DATE' });
  await seedContacts(ws.ctx, [
    { email: 'a@example.com', firstName: 'Ada', attributes: { age: 36, tier: 'gold', city: 'London', vip: true, since: '2020-01-15' } },
    { email: 'b@example.com', firstName: 'Bob', attributes: { age: 17.5, tier: 'silver', city: 'Paris 50%', vip: false, since: '2023-06-01' } },
    { email: 'c@example.com', firstName: 'Cy', attributes: { age: 61, tier: 'Gold', city: 'london' } },
    { email: 'd@example.com', firstName: 'Di_na', attributes: {} },
    { email: 'e@example.com', firstName: null as never, attributes: { age: 40, city: 'Berlin', vip: true, since: '2024-02-29T10:00:00.000Z' }, consent: 'UNKNOWN' },
    { email: null, firstName: 'NoMail', attributes: { age: 36 } },
  ]);
});
afterAll(async () => {
  await app.close();
});

const filters: [string, ContactFilter][] = [
  ['empty', {}],
  ['search', { search: 'lon' }],
  ['search with LIKE characters', { search: 'i_n' }],
  ['consent', { consentStatus: ['UNKNOWN'] }],
  ['has email', { hasEmail: false }],
  ['number EQ', { attributes: [{ key: 'age', op: 'EQ', value: 36 }] }],
  ['number GT', { attributes: [{ key: 'age', op: 'GT', value: 30 }] }],
  ['number LTE (string value)', { attributes: [{ key: 'age', op: 'LTE', value: '17.5' }] }],
  ['number NEQ', { attributes: [{ key: 'age', op: 'NEQ', value: 36 }] }],
  ['number IN', { attributes: [{ key: 'age', op: 'IN', value: [17.5, 61] }] }],
  ['enum EQ is case-sensitive', { attributes: [{ key: 'tier', op: 'EQ', value: 'gold' }] }],
  ['enum NEQ', { attributes: [{ key: 'tier', op: 'NEQ', value: 'gold' }] }],
  ['string CONTAINS', { attributes: [{ key: 'city', op: 'CONTAINS', value: 'ond' }] }],
  ['string EQ', { attributes: [{ key: 'city', op: 'EQ', value: 'London' }] }],
  ['boolean', { attributes: [{ key: 'vip', op: 'EQ', value: true }] }],
  ['boolean false', { attributes: [{ key: 'vip', op: 'EQ', value: 'no' }] }],
  ['date GT', { attributes: [{ key: 'since', op: 'GT', value: '2021-01-01' }] }],
  ['exists', { attributes: [{ key: 'vip', op: 'EXISTS' }] }],
  ['several conditions', { search: 'example', attributes: [{ key: 'age', op: 'GTE', value: 18 }, { key: 'vip', op: 'EXISTS' }] }],
];

test.each(filters)('%s: the snapshot SQL selects exactly what the contact list shows', async (_name, filter) => {
  const viaPrisma = await app.core.db.prisma.contact.count({ where: await buildContactWhere(ws.ctx, filter) });
  const viaSql = await countAudience(ws.ctx, await audienceSql(ws.ctx, { includePersonaIds: [], excludePersonaIds: [], filter }, ['audience']), 'TRANSACTIONAL');
  expect(viaSql.matched).toBe(viaPrisma);
});

test('NOT_EXISTS selects contacts without the attribute, in the snapshot and in the contact list', async () => {
  const filter = { attributes: [{ key: 'city', op: 'NOT_EXISTS' as const }] };
  const viaSql = await countAudience(ws.ctx, await audienceSql(ws.ctx, { includePersonaIds: [], excludePersonaIds: [], filter }, ['audience']), 'TRANSACTIONAL');
  expect(viaSql.matched).toBe(2);
  expect(await app.core.db.prisma.contact.count({ where: await buildContactWhere(ws.ctx, filter) })).toBe(2);
});

test('a bad filter is rejected with the same paths as the contact list', async () => {
  const err = await audienceSql(ws.ctx, { includePersonaIds: [], excludePersonaIds: [], filter: { attributes: [{ key: 'tier', op: 'GT', value: 'gold' }, { key: 'nope', op: 'EQ', value: 1 }] } }, ['input', 'audience']).catch((e) => e);
  expect(err).toBeInstanceOf(ValidationError);
  expect(err.issues.map((i: { path: unknown[] }) => i.path.join('.'))).toEqual(['input.audience.filter.attributes.0.op', 'input.audience.filter.attributes.1.key']);
});
