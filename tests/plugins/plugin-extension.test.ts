// A plugin's schema extension, typed hook, route and email provider work end to end through
// the same public API built-in plugins use.
import type { App } from '../../api/app';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { gql, gqlOk, errorCodes } from '../support/graphql-client';
import { dependentPlugin, greetingPlugin, lifecycle } from '../support/fixture-plugins';
import { CreateContactDocument } from '../generated/graphql';

let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp({ plugins: [dependentPlugin(), greetingPlugin({ greeting: 'Hello' })] });
  ws = await createTestWorkspace(app);
});
afterAll(async () => {
  await app.close();
  expect(lifecycle).toEqual(['greeting:setup', 'dependent:setup', 'dependent:teardown', 'greeting:teardown']);
});

test('plugins are set up in dependency order, whatever the config order', () => {
  expect(app.plugins.names).toEqual(['@test/plugin-greeting', '@test/plugin-dependent']);
});

test('the schema extension adds fields, with the plugin options applied', async () => {
  const res = await gqlOk<{ pluginGreeting: string }>(app, ws.key, '{ pluginGreeting(name: "Ada") }');
  expect(res.pluginGreeting).toBe('Hello, Ada!');
  const { createContact } = await gqlOk(app, ws.key, CreateContactDocument, { input: { email: 'lin@example.com', firstName: 'Lin' } });
  const c = await gqlOk<{ contact: { greeting: string } }>(app, ws.key, `{ contact(id: "${createContact.id}") { greeting } }`);
  expect(c.contact.greeting).toBe('Hello, Lin!');
  // Plugin fields are subject to the same auth as everything else.
  expect(errorCodes(await gql(app, null, '{ pluginGreeting(name: "x") }'))).toEqual(['UNAUTHENTICATED']);
});

test('a typed hook runs after the change is committed', async () => {
  const { createContact } = await gqlOk(app, ws.key, CreateContactDocument, { input: { email: 'hooked@example.com' } });
  await app.core.bus.idle();
  const c = await gqlOk<{ contact: { recentEvents: { type: string }[] } }>(app, ws.key, `{ contact(id: "${createContact.id}") { recentEvents(limit: 5) { type } } }`);
  expect(c.contact.recentEvents.map((e) => e.type)).toEqual(['welcomed']);
});

test('the plugin route and email provider are registered', async () => {
  const res = await app.yoga.fetch('http://personae.test/plugins/greeting/world');
  expect(await res.json()).toEqual({ message: 'Hello, world' });
  expect(app.core.extensions.emailProviders.ownerOf('test-null')).toBe('@test/plugin-greeting');
  const ext = await gqlOk<{ extensions: { key: string; plugin: string }[] }>(app, ws.key, '{ extensions { key plugin } }');
  expect(ext.extensions).toContainEqual({ key: 'test-null', plugin: '@test/plugin-greeting' });
});
