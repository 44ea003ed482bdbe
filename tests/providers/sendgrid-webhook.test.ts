// SendGrid's Signed Event Webhook: genuine requests become ProviderEvents mapped to our
// messages; forged, tampered, unsigned or stale ones are refused.
import type { App } from '../../api/app';
import { sendgrid, WebhookVerificationError } from '../../plugins/sendgrid';
import type { EmailProviderDefinition } from '../../plugins/sdk';
import { createTestApp } from '../support/test-app';
import { startSendGridFake, type SendGridFake } from '../support/sendgrid-fake';
import { SendGridWebhookSigner } from '../support/sendgrid-fake-webhook';

let app: App;
let fake: SendGridFake;
let def: EmailProviderDefinition<any>;
const API_KEY = 'SG.test-key.personae';

beforeAll(async () => {
  fake = await startSendGridFake({ apiKeys: [API_KEY] });
  app = await createTestApp({ plugins: [sendgrid({ baseUrl: fake.url })] });
  def = app.core.extensions.emailProviders.get('sendgrid')!;
});
afterAll(async () => {
  await app.close();
  await fake.close();
});

const config = (over: Record<string, unknown> = {}) => def.config.parse({ apiKey: API_KEY, webhookPublicKey: fake.webhook.publicKey, ...over });

async function sendTwo() {
  fake.reset();
  const sender = await def.create({ config: config(), log: app.core.log, workspaceId: 1 });
  const base = { from: { email: 'news@shop.example' }, subject: 'Hi', html: '<p>Hi</p>', text: 'Hi', headers: {} };
  const outcomes = await sender.send({
    messages: [
      { ...base, messageId: '501', to: { email: 'ada@example.com' } },
      { ...base, messageId: '502', to: { email: 'grace@example.com' } },
    ],
  });
  return { outcomes, ada: fake.accepted.find((a) => a.to.email === 'ada@example.com')!, grace: fake.accepted.find((a) => a.to.email === 'grace@example.com')! };
}

function parse(req: { body: string; headers: Record<string, string> }, cfg = config()) {
  return def.parseWebhook!({ config: cfg, headers: new Headers(req.headers), rawBody: req.body });
}

test('signed events are verified and normalised, mapped back to our message ids', async () => {
  const { outcomes, ada, grace } = await sendTwo();
  const events = [
    fake.event(ada, 'processed'),
    fake.event(ada, 'delivered'),
    fake.event(ada, 'open'),
    fake.event(ada, 'machine_open'),
    fake.event(ada, 'click', { url: 'https://t.example/c/1' }),
    fake.event(grace, 'bounce'),
    fake.event(grace, 'blocked'),
    fake.event(grace, 'dropped'),
    fake.event(grace, 'deferred'),
    fake.event(ada, 'spamreport'),
    fake.event(ada, 'group_unsubscribe'),
  ];
  const parsed = await parse(fake.webhook.signedRequest(events));
  expect(parsed.map((e) => [e.type, e.messageId])).toEqual([
    ['delivered', '501'], ['open', '501'], ['open', '501'], ['click', '501'],
    ['bounce', '502'], ['bounce', '502'], ['dropped', '502'], ['deferred', '502'],
    ['spamreport', '501'], ['unsubscribe', '501'],
  ]);
  expect(parsed[0]).toEqual({
    providerEventId: events[1].sg_event_id,
    type: 'delivered',
    messageId: '501',
    providerMessageId: (outcomes[0] as { providerMessageId: string }).providerMessageId,
    email: 'ada@example.com',
    occurredAt: new Date(events[1].timestamp * 1000),
  });
  expect(parsed[1].machineOpen).toBe(false);
  expect(parsed[2].machineOpen).toBe(true);
  expect(parsed[3].url).toBe('https://t.example/c/1');
  expect(parsed[4]).toMatchObject({ bounceClass: 'hard', reason: expect.stringContaining('550 5.1.1') });
  expect(parsed[5]).toMatchObject({ bounceClass: 'soft' });
  expect(parsed[6].reason).toBe('Bounced Address');
});

test('forged, tampered, unsigned and stale requests are refused', async () => {
  const { ada } = await sendTwo();
  const genuine = fake.webhook.signedRequest([fake.event(ada, 'delivered')]);

  const tampered = { ...genuine, body: genuine.body.replace('ada@example.com', 'eve@example.com') };
  await expect(parse(tampered)).rejects.toThrow(WebhookVerificationError);

  const forger = new SendGridWebhookSigner();
  await expect(parse(forger.signedRequest([fake.event(ada, 'delivered')]))).rejects.toThrow('the signature does not match');

  const otherTime = { ...genuine, headers: { ...genuine.headers, 'X-Twilio-Email-Event-Webhook-Timestamp': String(Number(genuine.headers['X-Twilio-Email-Event-Webhook-Timestamp']) + 1) } };
  await expect(parse(otherTime)).rejects.toThrow('the signature does not match');

  await expect(parse({ body: genuine.body, headers: { 'Content-Type': 'application/json' } })).rejects.toThrow('not signed');
  await expect(parse(genuine, config({ webhookPublicKey: undefined }))).rejects.toThrow('no webhookPublicKey');

  const stale = fake.webhook.signedRequest([fake.event(ada, 'delivered')], { timestamp: Math.floor(Date.now() / 1000) - 3 * 86400 });
  await expect(parse(stale)).rejects.toThrow(/signed \d+ s ago/);
  await expect(parse(stale, config({ webhookMaxAgeSeconds: 0 }))).resolves.toHaveLength(1);

  await expect(parse(genuine)).resolves.toHaveLength(1);
});
