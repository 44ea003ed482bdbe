// The sendgrid provider against the loopback SendGrid fake: payloads the v3 API accepts,
// one outcome per message, and the fault classes the worker depends on.
import type { App } from '../../api/app';
import { sendgrid } from '../../plugins/sendgrid';
import type { EmailProviderInstance, OutgoingEmail } from '../../plugins/sdk';
import { createIntegration, readIntegrationConfig } from '../../core/integrations/integration-configs';
import { createTestApp, createTestWorkspace } from '../support/test-app';
import { startSendGridFake, type SendGridFake } from '../support/sendgrid-fake';

let app: App;
let fake: SendGridFake;
const API_KEY = 'SG.test-key.personae';

beforeAll(async () => {
  fake = await startSendGridFake({ apiKeys: [API_KEY] });
  app = await createTestApp({ plugins: [sendgrid({ baseUrl: fake.url })] });
});
afterAll(async () => {
  await app.close();
  await fake.close();
});
beforeEach(() => fake.reset());

function email(i: number, over: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    messageId: String(1000 + i),
    to: { email: `reader${i}@example.com`, name: `Reader ${i}` },
    from: { email: 'news@shop.example', name: 'Shop' },
    replyTo: { email: 'help@shop.example' },
    subject: `Hello ${i}`,
    html: `<p>Hello ${i} <a href="https://t.example/c/${i}">shop</a></p>`,
    text: `Hello ${i}\n`,
    headers: { 'List-Unsubscribe': `<https://t.example/u/${i}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    customArgs: { campaign_id: '42' },
    categories: ['spring'],
    ...over,
  };
}

function provider(config: Record<string, unknown> = {}): Promise<EmailProviderInstance> {
  const def = app.core.extensions.emailProviders.get('sendgrid')!;
  return Promise.resolve(def.create({ config: def.config.parse({ apiKey: API_KEY, ...config }), log: app.core.log, workspaceId: 1 }));
}

test('a batch configured through an integration is sent as the v3 API expects', async () => {
  const ws = await createTestWorkspace(app);
  const row = await createIntegration(ws.ctx, { kind: 'EMAIL_PROVIDER', key: 'sendgrid', name: 'Main', config: { apiKey: API_KEY } });
  expect(row.settings).not.toHaveProperty('apiKey');
  const { config } = await readIntegrationConfig(ws.ctx, row.id);
  const def = app.core.extensions.emailProviders.get('sendgrid')!;
  const sender = await def.create({ config: def.config.parse(config), log: app.core.log, workspaceId: ws.workspaceId });

  const outcomes = await sender.send({ messages: [email(1), email(2), email(3)] });
  expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted', 'accepted']);
  expect(fake.requests.map((r) => r.status)).toEqual([202, 202, 202]);
  const byMessage = new Map(fake.accepted.map((a) => [a.customArgs.personae_message_id, a]));
  outcomes.forEach((o, i) => expect(o).toEqual({ status: 'accepted', providerMessageId: byMessage.get(String(1001 + i))!.xMessageId }));

  const first = byMessage.get('1001')!;
  expect(first).toMatchObject({
    to: { email: 'reader1@example.com', name: 'Reader 1' },
    from: { email: 'news@shop.example', name: 'Shop' },
    replyTo: { email: 'help@shop.example' },
    subject: 'Hello 1',
    text: 'Hello 1\n',
    html: '<p>Hello 1 <a href="https://t.example/c/1">shop</a></p>',
    headers: { 'List-Unsubscribe': '<https://t.example/u/1>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    customArgs: { campaign_id: '42', personae_message_id: '1001' },
    categories: ['spring'],
  });
  // Text first, then HTML; SendGrid's own tracking off so our links and pixel stay as rendered.
  expect(first.body.content!.map((c) => c.type)).toEqual(['text/plain', 'text/html']);
  expect(first.body.tracking_settings).toEqual({
    click_tracking: { enable: false, enable_text: false }, open_tracking: { enable: false }, subscription_tracking: { enable: false },
  });
});

test('messages with identical content share one request, one personalization each', async () => {
  const sender = await provider();
  const same = { html: '<p>Same for all</p>', text: 'Same for all\n' };
  const outcomes = await sender.send({ messages: [email(1, same), email(2, same), email(3, same), email(4)] });
  expect(outcomes.every((o) => o.status === 'accepted')).toBe(true);
  expect(fake.requests).toHaveLength(2);
  const shared = fake.accepted.filter((a) => a.html === '<p>Same for all</p>');
  expect(shared.map((a) => [a.index, a.to.email, a.subject, a.customArgs.personae_message_id])).toEqual([
    [0, 'reader1@example.com', 'Hello 1', '1001'],
    [1, 'reader2@example.com', 'Hello 2', '1002'],
    [2, 'reader3@example.com', 'Hello 3', '1003'],
  ]);
  expect(new Set(shared.map((a) => a.xMessageId)).size).toBe(1);
});

test('429 is retryable with its Retry-After, 5xx and timeouts are retryable, a bad key keeps the messages', async () => {
  const sender = await provider({ concurrency: 1, timeoutMs: 1000 });
  fake.inject({ status: 429, retryAfterSeconds: 7 }, { status: 503 }, { hang: true });
  const outcomes = await sender.send({ messages: [email(1), email(2), email(3), email(4)] });
  expect(outcomes[0]).toEqual({ status: 'retryable', reason: 'SendGrid 429: too many requests', retryAfterMs: 7000 });
  expect(outcomes[1]).toEqual({ status: 'retryable', reason: 'SendGrid 503: internal error' });
  expect(outcomes[2]).toMatchObject({ status: 'retryable', reason: expect.stringMatching(/^SendGrid unreachable: timeout/) });
  expect(outcomes[3]).toMatchObject({ status: 'accepted' });

  const wrongKey = await provider({ apiKey: 'SG.revoked-key-0000000000' });
  expect(await wrongKey.send({ messages: [email(5)] })).toEqual([
    { status: 'retryable', reason: 'SendGrid 401: The provided authorization grant is invalid, expired, or revoked' },
  ]);
});

test('a payload SendGrid refuses is rejected with its reason, and only the bad message of a shared request', async () => {
  const sender = await provider();
  const [reserved] = await sender.send({ messages: [email(1, { headers: { To: 'someone@else.example' } })] });
  expect(reserved).toEqual({ status: 'rejected', reason: 'SendGrid 400: personalizations.0.headers: The following header is reserved and cannot be used: To' });

  const same = { html: '<p>Same</p>', text: 'Same\n' };
  const outcomes = await sender.send({ messages: [email(1, same), email(2, { ...same, to: { email: 'not-an-address' } }), email(3, same)] });
  expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'rejected', 'accepted']);
  expect(outcomes[1]).toMatchObject({ reason: 'SendGrid 400: personalizations.0.to.0.email: Does not contain a valid address.' });
  expect(fake.accepted.map((a) => a.to.email).sort()).toEqual(['reader1@example.com', 'reader3@example.com']);
});

test('a message the SendGrid library refuses is rejected with its reason, without a request', async () => {
  const sender = await provider();
  const bad = email(1, { from: { email: 42 as unknown as string } });
  const outcomes = await sender.send({ messages: [bad, email(2)] });
  expect(outcomes[0]).toEqual({ status: 'rejected', reason: 'SendGrid payload refused: String or address object expected for `from`' });
  expect(outcomes[1]).toMatchObject({ status: 'accepted' });
  expect(fake.accepted.map((a) => a.to.email)).toEqual(['reader2@example.com']);
});
