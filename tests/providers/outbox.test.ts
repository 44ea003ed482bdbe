// The outbox provider: messages are kept per workspace and read back through GraphQL.
import type { App } from '../../api/app';
import { outbox } from '../../plugins/outbox';
import type { OutgoingEmail } from '../../plugins/sdk';
import { createTestApp, createTestWorkspace } from '../support/test-app';
import { gqlOk } from '../support/graphql-client';
import { OutboxMessagesDocument } from '../generated/graphql';

let app: App;

beforeAll(async () => {
  app = await createTestApp({ plugins: [outbox()] });
});
afterAll(async () => {
  await app.close();
});

function email(i: number, to = `r${i}@example.com`): OutgoingEmail {
  return {
    messageId: `m-${i}`,
    to: { email: to, name: `Reader ${i}` },
    from: { email: 'news@shop.example', name: 'Shop' },
    replyTo: { email: 'help@shop.example' },
    subject: `Hello ${i}`,
    html: `<p>Hello ${i}</p>`,
    text: `Hello ${i}\n`,
    headers: { 'List-Unsubscribe': `<https://t.example/u/${i}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    customArgs: { campaign_id: '9' },
    categories: ['spring'],
  };
}

async function instance(workspaceId: number, config: unknown = {}) {
  const def = app.core.extensions.emailProviders.get('outbox')!;
  return def.create({ config: def.config.parse(config), log: app.core.log, workspaceId });
}

test('a batch is kept, one outcome per message in order, and readable through GraphQL', async () => {
  const ws = await createTestWorkspace(app);
  const provider = await instance(ws.workspaceId, { rejectDomains: ['blocked.example'] });
  const batch = [email(1), email(2, 'someone@blocked.example'), email(3, 'not an address'), email(4)];
  const outcomes = await provider.send({ messages: batch });
  expect(outcomes).toEqual([
    { status: 'accepted', providerMessageId: 'outbox-m-1' },
    { status: 'rejected', reason: expect.stringContaining('rejectDomains') },
    { status: 'rejected', reason: expect.stringContaining('invalid recipient') },
    { status: 'accepted', providerMessageId: 'outbox-m-4' },
  ]);

  const page = await gqlOk(app, ws.key, OutboxMessagesDocument, { first: 10 });
  expect(page.outboxMessages.edges.map((e) => e.node.messageId)).toEqual(['m-4', 'm-1']);
  expect(page.outboxMessages.edges[1].node).toMatchObject({
    to: { email: 'r1@example.com', name: 'Reader 1' },
    from: { email: 'news@shop.example', name: 'Shop' },
    replyTo: 'help@shop.example',
    subject: 'Hello 1',
    html: '<p>Hello 1</p>',
    text: 'Hello 1\n',
    headers: { 'List-Unsubscribe': '<https://t.example/u/1>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    customArgs: { campaign_id: '9' },
    categories: ['spring'],
  });
  const one = await gqlOk(app, ws.key, OutboxMessagesDocument, { first: 10, messageId: 'm-4' });
  expect(one.outboxMessages.edges.map((e) => e.node.to.email)).toEqual(['r4@example.com']);
});

test('a workspace sees only its own outbox, whatever the configuration says', async () => {
  const a = await createTestWorkspace(app);
  const b = await createTestWorkspace(app);
  // A workspaceId smuggled into the configuration is ignored: the workspace comes from create().
  const provider = await instance(a.workspaceId, { workspaceId: b.workspaceId });
  await provider.send({ messages: [email(1)] });
  expect((await gqlOk(app, a.key, OutboxMessagesDocument, { first: 10 })).outboxMessages.edges).toHaveLength(1);
  expect((await gqlOk(app, b.key, OutboxMessagesDocument, { first: 10 })).outboxMessages.edges).toHaveLength(0);

  const id = (await gqlOk(app, a.key, OutboxMessagesDocument, { first: 1 })).outboxMessages.edges[0].node.id;
  const node = `query($id: ID!) { node(id: $id) { __typename ... on OutboxMessage { messageId } } }`;
  expect(await gqlOk(app, a.key, node, { id })).toEqual({ node: { __typename: 'OutboxMessage', messageId: 'm-1' } });
  expect(await gqlOk(app, b.key, node, { id })).toEqual({ node: null });
});

test('a large batch goes in a few statements', async () => {
  const ws = await createTestWorkspace(app);
  const provider = await instance(ws.workspaceId);
  const big = Array.from({ length: 300 }, (_, i) => ({ ...email(i), html: `<p>${'x'.repeat(30_000)}</p>` }));
  const statements: string[] = [];
  const off = app.core.db.onQuery((q) => statements.push(q.sql));
  const outcomes = await provider.send({ messages: big });
  off();
  expect(outcomes.every((o) => o.status === 'accepted')).toBe(true);
  // Chunks of about 1 MB (short enough to format without holding the worker's event loop): ~9 MB here.
  expect(statements.length).toBeLessThanOrEqual(Math.ceil((300 * 31_000) / (1024 * 1024)) + 1);
  expect(await app.core.db.prisma.outboxMessage.count({ where: { workspaceId: ws.workspaceId } })).toBe(300);
});
