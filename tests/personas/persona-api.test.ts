// Personas through GraphQL: save, refresh with entered/left history and domain events,
// update and delete, bad input with paths inside the rule (nothing saved), tenancy.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import type { DomainEventMap } from '../../core/domain-events';
import '../../core/personas/persona-events';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { errorCodes, gql, gqlOk } from '../support/graphql-client';
import {
  CreatePersonaDocument, DeletePersonaDocument, PersonaBySlugDocument, PersonaDocument, PreviewPersonaDocument, RefreshPersonaDocument,
  UpdateContactDocument, UpdatePersonaDocument, CreateContactDocument,
} from '../generated/graphql';
import { defineAttributes, memberIds } from './persona-fixtures';
import { decodeGlobalID } from '@pothos/plugin-relay';

let app: App;
let ws: TestWorkspace;
const north = { attribute: { key: 'region', op: 'EQ' as const, value: 'north' } };

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});
beforeEach(async () => {
  ws = await createTestWorkspace(app);
  await defineAttributes(ws.ctx);
});

async function person(email: string, region: string) {
  return (await gqlOk(app, ws.key, CreateContactDocument, { input: { email, attributes: { region } } })).createContact.id;
}
const personaCount = async (workspaceId: number) => {
  const [[r]] = await app.core.db.sql.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM personas WHERE workspace_id = ?', [workspaceId]);
  return Number(r.n);
};

test('a saved persona materialises its members, then records who entered and left on each refresh', async () => {
  const a = await person('a@example.com', 'north');
  const b = await person('b@example.com', 'south');
  const seen: DomainEventMap['persona.membership.changed'][] = [];
  const off = app.core.bus.on('persona.membership.changed', (e) => void seen.push(e));

  const { createPersona } = await gqlOk(app, ws.key, CreatePersonaDocument, { input: { slug: 'northerners', name: 'Northerners', rule: north } });
  expect(createPersona).toMatchObject({ slug: 'northerners', kind: 'RULE', memberCount: 1, rule: north });
  const personaId = Number(decodeGlobalID(createPersona.id).id);
  expect(await memberIds(app, personaId)).toEqual([Number(decodeGlobalID(a).id)]);

  await gqlOk(app, ws.key, UpdateContactDocument, { id: a, input: { attributes: { region: 'south' } } });
  await gqlOk(app, ws.key, UpdateContactDocument, { id: b, input: { attributes: { region: 'north' } } });
  const { refreshPersona } = await gqlOk(app, ws.key, RefreshPersonaDocument, { id: createPersona.id });
  expect(refreshPersona).toMatchObject({ size: 1, entered: 1, left: 1, persona: { memberCount: 1 } });
  // Refreshing again changes nothing and announces nothing.
  expect((await gqlOk(app, ws.key, RefreshPersonaDocument, { id: createPersona.id })).refreshPersona).toMatchObject({ entered: 0, left: 0 });

  const { persona } = await gqlOk(app, ws.key, PersonaDocument, { id: createPersona.id });
  expect(persona!.members.edges.map((e) => e.node.email)).toEqual(['b@example.com']);
  expect(persona!.members.totalCount).toBe(1);
  expect(persona!.sizeHistory.map((p) => [p.size, p.entered, p.left])).toEqual([[1, 0, 0], [1, 1, 1], [1, 1, 0]]);
  const changes = persona!.membershipChanges.edges.map((e) => `${e.node.change} ${e.node.contact.email}`);
  expect(changes.sort()).toEqual(['ENTERED a@example.com', 'ENTERED b@example.com', 'LEFT a@example.com']);

  await app.core.bus.idle();
  off();
  expect(seen).toEqual([
    { workspaceId: ws.workspaceId, personaId, entered: 1, left: 0, size: 1 },
    { workspaceId: ws.workspaceId, personaId, entered: 1, left: 1, size: 1 },
  ]);
});

test('bad rules are rejected with the path of each problem inside the rule, and nothing is saved', async () => {
  const res = await gql(app, ws.key, CreatePersonaDocument, {
    input: {
      slug: 'Bad Slug',
      name: 'x',
      rule: {
        and: [
          { profile: { field: 'shoeSize', op: 'EQ', value: 42 } },
          { attribute: { key: 'region', op: 'GT', value: 'north' } },
          { event: { type: 'purchase', within: 'P1M' } },
          { attribute: { key: 'planet', op: 'EQ', value: 'mars' } },
          { attribute: { key: 'age', op: 'EQ', value: 'old' } },
          { sequence: { first: { type: 'add_to_cart' }, then: { type: 'purchase' }, within: '1 hour', followed: false } },
          { persona: { slug: 'nobody' } },
          { not: { attribute: { key: 'age', op: 'BETWEEN', value: [50, 20] } } },
        ],
      },
    },
  });
  expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  const paths = res.errors![0].extensions!.issues!.map((i) => i.path.join('.'));
  expect(paths).toEqual([
    'input.slug',
    'input.rule.and.0.profile.field',
    'input.rule.and.1.attribute.op',
    'input.rule.and.2.event.within',
    'input.rule.and.3.attribute.key',
    'input.rule.and.4.attribute.value',
    'input.rule.and.5.sequence.within',
    'input.rule.and.6.persona.slug',
    'input.rule.and.7.not.attribute.value',
  ]);
  expect(res.errors![0].extensions!.issues![2].message).toMatch(/GT does not apply to attribute "region" \(ENUM\)/);
  expect(await personaCount(ws.workspaceId)).toBe(0);

  const preview = await gql(app, ws.key, PreviewPersonaDocument, { rule: { event: { type: 'purchase', count: { op: 'CONTAINS', value: 'x' } } }, sampleSize: 5 });
  expect(preview.errors![0].extensions!.issues).toEqual([{ path: ['rule', 'event', 'count', 'op'], message: expect.stringMatching(/CONTAINS does not apply to an event count/) }]);
});

test('a persona cannot depend on itself through others, and one in use cannot be deleted', async () => {
  const a = await gqlOk(app, ws.key, CreatePersonaDocument, { input: { slug: 'a', name: 'A', rule: north } });
  const b = await gqlOk(app, ws.key, CreatePersonaDocument, { input: { slug: 'b', name: 'B', rule: { persona: { slug: 'a' } } } });
  const cycle = await gql(app, ws.key, UpdatePersonaDocument, { id: a.createPersona.id, input: { rule: { persona: { slug: 'b' } } } });
  expect(cycle.errors![0].extensions!.issues).toEqual([{ path: ['input', 'rule', 'persona', 'slug'], message: expect.stringMatching(/cycle/) }]);
  const del = await gql(app, ws.key, DeletePersonaDocument, { id: a.createPersona.id });
  expect(errorCodes(del)).toEqual(['FAILED_PRECONDITION']);
  await gqlOk(app, ws.key, DeletePersonaDocument, { id: b.createPersona.id });
  await gqlOk(app, ws.key, DeletePersonaDocument, { id: a.createPersona.id });
  expect(await personaCount(ws.workspaceId)).toBe(0);
});

test('slugs are unique per workspace, and another workspace’s persona behaves as missing', async () => {
  const { createPersona } = await gqlOk(app, ws.key, CreatePersonaDocument, { input: { slug: 'dup', name: 'One', rule: north } });
  const again = await gql(app, ws.key, CreatePersonaDocument, { input: { slug: 'dup', name: 'Two', rule: north } });
  expect(errorCodes(again)).toEqual(['CONFLICT']);

  const other = await createTestWorkspace(app);
  await defineAttributes(other.ctx);
  expect((await gqlOk(app, other.key, CreatePersonaDocument, { input: { slug: 'dup', name: 'Mine', rule: north } })).createPersona.slug).toBe('dup');
  // Each answers exactly as for an id that exists nowhere: same code, same message.
  const missingId = encodeGlobalID('Persona', '999999999');
  for (const doc of [PersonaDocument, RefreshPersonaDocument, DeletePersonaDocument]) {
    const [foreign, missing] = [await gql(app, other.key, doc, { id: createPersona.id }), await gql(app, other.key, doc, { id: missingId })];
    expect(errorCodes(foreign)).toEqual(['NOT_FOUND']);
    const masked = (m: string) => m.replace(/\d+/g, 'N');
    expect(masked(foreign.errors![0].message)).toBe(masked(missing.errors![0].message));
  }
  expect((await gqlOk(app, ws.key, PersonaBySlugDocument, { slug: 'dup' })).personaBySlug!.id).toBe(createPersona.id);
});

test('previewPersona counts and samples without saving', async () => {
  for (const [i, r] of ['north', 'north', 'south', 'north'].entries()) await person(`p${i}@example.com`, r);
  const { previewPersona } = await gqlOk(app, ws.key, PreviewPersonaDocument, { rule: north, sampleSize: 2 });
  expect(previewPersona.count).toBe(3);
  expect(previewPersona.sample.map((c) => c.email)).toEqual(['p0@example.com', 'p1@example.com']);
  expect(await personaCount(ws.workspaceId)).toBe(0);
});
