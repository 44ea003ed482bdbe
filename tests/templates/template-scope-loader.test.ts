// The batch loader reads everything templates need in a constant number of statements, from
// the tables other domains own (profiles, persona membership, scores).
import type { App } from '../../api/app';
import { createTestApp, createTestWorkspace, countStatements } from '../support/test-app';
import { upsertContacts } from '../../core/contacts/contact-upsert';
import { defineAttribute } from '../../core/attributes/attribute-definitions';
import { loadTemplateScopes } from '../../core/templates';

let app: App;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

test('a batch of contacts costs the same five statements as one, with profiles, personas and scores', async () => {
  const ws = await createTestWorkspace(app, { name: 'Loader shop' });
  await defineAttribute(ws.ctx, { key: 'tier', label: 'Tier', type: 'STRING' });
  const res = await upsertContacts(ws.ctx, {
    contacts: Array.from({ length: 200 }, (_, i) => ({ email: `c${i}@example.com`, firstName: `C${i}`, lastName: i % 2 ? 'Odd' : null, attributes: { tier: i % 2 ? 'gold' : 'silver' } })),
    key: 'email', source: 'api', onInvalid: 'reject', path: ['contacts'],
  });
  const ids = res.ids as number[];
  const db = app.core.db.prisma;
  const persona = await db.persona.create({ data: { workspaceId: ws.workspaceId, slug: 'lapsed-big-spenders', name: 'Lapsed', kind: 'RULE', definition: {} } });
  await db.personaMember.create({ data: { personaId: persona.id, contactId: ids[1], workspaceId: ws.workspaceId, joinedAt: new Date() } });
  await db.contactProfile.create({
    data: { contactId: ids[1], workspaceId: ws.workspaceId, purchaseCount: 3, monetaryTotal: 120.5, preferredHour: 19, lifecycleStage: 'LAPSED', topInterest: 'shoes', computedAt: new Date() },
  });

  const one = await countStatements(app, () => loadTemplateScopes(ws.ctx, { contactIds: [ids[0]] }));
  const many = await countStatements(app, () => loadTemplateScopes(ws.ctx, { contactIds: ids, campaign: { id: 3, name: 'Spring' } }));
  expect(one.statements.length).toBe(5);
  expect(many.statements.length).toBe(5);

  const scopes = many.result;
  expect(scopes.size).toBe(200);
  const s = scopes.get(ids[1])!;
  expect(s.contact).toMatchObject({ id: ids[1], email: 'c1@example.com', first_name: 'C1', full_name: 'C1 Odd', attributes: { tier: 'gold' }, personas: ['lapsed-big-spenders'] });
  expect(s.profile).toMatchObject({ purchase_count: 3, monetary_total: 120.5, preferred_hour: 19, lifecycle_stage: 'LAPSED', top_interest: 'shoes' });
  expect(s.profile).not.toHaveProperty('workspace_id');
  expect(s.campaign).toEqual({ id: 3, name: 'Spring' });
  expect(s.workspace).toEqual({ id: ws.workspaceId, name: 'Loader shop', timezone: 'UTC' });
  expect(scopes.get(ids[0])!).toMatchObject({ profile: {}, scores: {}, contact: { personas: [], full_name: 'C0' } });

  // Another workspace's contacts are simply not there.
  const other = await createTestWorkspace(app);
  expect((await loadTemplateScopes(other.ctx, { contactIds: ids.slice(0, 5) })).size).toBe(0);
});
