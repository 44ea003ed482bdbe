// A page of contacts with profile (and its interests) and personas costs the same number of
// statements whether it holds 3 contacts or 30: the fields are batched by dataloaders.
import type { App } from '../../api/app';
import { computeProfiles } from '../../core/profiles/compute-profiles';
import { createPersona } from '../../core/personas/personas.service';
import { createTestApp, createTestWorkspace, countStatements } from '../support/test-app';
import { gqlOk } from '../support/graphql-client';
import { ContactsWithPersonasDocument } from '../generated/graphql';
import { contact, defineAttributes, track } from './persona-fixtures';

let app: App;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

async function pageCost(size: number): Promise<number> {
  const ws = await createTestWorkspace(app);
  await defineAttributes(ws.ctx);
  for (let i = 0; i < size; i++) {
    const id = await contact(ws.ctx, `c${i}@example.com`, { attributes: { region: i % 2 ? 'north' : 'south' } });
    await track(ws.ctx, [{ contactId: id, type: 'purchase', value: 10 + i, occurredAt: new Date(Date.now() - i * 86_400_000), properties: { category: i % 3 ? 'shoes' : 'hats' } }]);
  }
  await computeProfiles(ws.ctx);
  await createPersona(ws.ctx, { slug: 'north', name: 'North', rule: { attribute: { key: 'region', op: 'EQ', value: 'north' } } });
  await createPersona(ws.ctx, { slug: 'shoes', name: 'Shoes', rule: { interest: { category: 'shoes', op: 'GTE', value: 0.5 } } });
  const { result, statements } = await countStatements(app, () => gqlOk(app, ws.key, ContactsWithPersonasDocument, { first: size }));
  const nodes = result.contacts.edges.map((e) => e.node);
  expect(nodes).toHaveLength(size);
  expect(nodes.every((n) => n.profile !== null)).toBe(true);
  expect(nodes.filter((n) => n.personas.some((p) => p.slug === 'north'))).toHaveLength(Math.floor(size / 2));
  return statements.length;
}

test('Contact.profile and Contact.personas cost a constant number of statements per page', async () => {
  const small = await pageCost(3);
  const large = await pageCost(30);
  expect(large).toBe(small);
  // The contacts page, profiles, interests, memberships and their personas.
  expect(small).toBe(5);
});
