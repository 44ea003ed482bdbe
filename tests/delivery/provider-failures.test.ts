// How delivery treats a provider that fails, against the loopback SendGrid fake: 429 with
// Retry-After is honoured, 5xx retries with exponential backoff until attempts run out,
// permanent rejections keep the provider's reason, and a provider that keeps failing trips
// the circuit breaker, which pauses the campaign with a visible reason until resumed.
import type { RowDataPacket } from 'mysql2/promise';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { App } from '../../api/app';
import { outbox } from '../../plugins/outbox';
import { sendgrid } from '../../plugins/sendgrid';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { startSendGridFake, type SendGridFake } from '../support/sendgrid-fake';
import { gqlOk } from '../support/graphql-client';
import { CampaignDocument, ResumeCampaignDocument } from '../generated/graphql';
import { createIntegration, updateIntegration } from '../../core/integrations/integration-configs';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { retryDelayMs } from '../../core/delivery/backoff';
import { basicTemplate, controlClock, drain, manyContacts, seedContacts, statusCounts, testSender } from '../campaigns/campaign-fixtures';

let fake: SendGridFake;
let app: App;
let ws: TestWorkspace;
let clock: ReturnType<typeof controlClock>;
const policy = { baseMs: 1000, maxMs: 60_000, maxAttempts: 3 };

beforeAll(async () => {
  fake = await startSendGridFake();
  app = await createTestApp({ plugins: [outbox(), sendgrid({ baseUrl: fake.url })] });
  clock = controlClock(app);
});
afterAll(async () => {
  await app.close();
  await fake.close();
});
beforeEach(async () => {
  clock.set(new Date('2030-03-04T12:00:00.000Z'));
  fake.reset();
  ws = await createTestWorkspace(app);
  await createIntegration(ws.ctx, { kind: 'EMAIL_PROVIDER', key: 'sendgrid', name: 'SG', isDefault: true, config: { apiKey: 'SG.test-key.personae' } });
});

async function launch(n: number) {
  await seedContacts(ws.ctx, manyContacts(n));
  const { templateId } = await basicTemplate(ws.ctx);
  const c = await createCampaign(ws.ctx, { name: 'C', from: { email: 'shop@example.com' }, variants: [{ templateId }] });
  await launchCampaign(ws.ctx, c.id);
  return c.id;
}

async function rows(campaignId: number) {
  const [r] = await app.core.db.sql.query<RowDataPacket[]>('SELECT status, attempts, send_at, error FROM messages WHERE campaign_id = ? ORDER BY id', [campaignId]);
  return r;
}

test('backoff is exponential with jitter, and never sooner than Retry-After', () => {
  const p = { baseMs: 1000, maxMs: 8000, maxAttempts: 9 };
  expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(p, a, undefined, () => 0))).toEqual([500, 1000, 2000, 4000, 4000]);
  expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(p, a, undefined, () => 1))).toEqual([1000, 2000, 4000, 8000, 8000]);
  expect(retryDelayMs(p, 1, 120_000, () => 0)).toBe(120_000);
  expect(retryDelayMs(p, 1, 120_000, () => 1)).toBe(120_500);
});

test('429 with Retry-After: the messages wait at least that long, then go', async () => {
  const id = await launch(2);
  fake.inject({ status: 429, retryAfterSeconds: 120 }, { status: 429, retryAfterSeconds: 120 });
  const sender = testSender(app, { backoff: policy });
  expect(await drain(app, sender, ws.workspaceId)).toBe(0);
  for (const r of await rows(id)) {
    expect(r).toMatchObject({ status: 'QUEUED', attempts: 1 });
    expect((r.send_at as Date).getTime() - clock.now.getTime()).toBe(120_250);
    expect(r.error).toMatch(/^SendGrid 429/);
  }
  clock.advance(119_000);
  expect(await drain(app, sender, ws.workspaceId)).toBe(0);
  clock.advance(2_000);
  expect(await drain(app, sender, ws.workspaceId)).toBe(2);
  expect(await statusCounts(app, id)).toEqual({ SENT: 2 });
});

test('5xx retries with growing delays and gives up after maxAttempts; rejections keep the provider\'s reason', async () => {
  const id = await launch(2);
  fake.faultWhen((body) => (JSON.stringify(body).includes('r0@example.com') ? { status: 500 } : { status: 400, message: 'The to email does not contain a valid address.' }));
  const sender = testSender(app, { backoff: policy, circuitThreshold: 100 });
  const delays: number[] = [];
  for (let i = 0; i < 3; i++) {
    await drain(app, sender, ws.workspaceId);
    const [r0] = await rows(id);
    if (r0.status === 'QUEUED') {
      delays.push((r0.send_at as Date).getTime() - clock.now.getTime());
      clock.set(r0.send_at);
    }
  }
  expect(delays).toEqual([750, 1500]); // base·2^(n−1), equal jitter at random() = 0.5
  const [r0, r1] = await rows(id);
  expect(r0).toMatchObject({ status: 'FAILED', attempts: 3 });
  expect(r0.error).toMatch(/^gave up after 3 attempts; last error: SendGrid 500/);
  expect(r1).toMatchObject({ status: 'FAILED', attempts: 1 });
  expect(r1.error).toBe('SendGrid 400: The to email does not contain a valid address.');
});

test('a provider that keeps failing trips the circuit breaker: the campaign pauses with the reason, and resumes cleanly', async () => {
  const id = await launch(6);
  fake.faultWhen(() => ({ status: 503 }));
  const sender = testSender(app, { backoff: { ...policy, maxAttempts: 50 }, batchSize: 2, circuitThreshold: 3 });
  for (let i = 0; i < 10; i++) {
    await drain(app, sender, ws.workspaceId);
    clock.advance(60_000);
  }
  const gid = encodeGlobalID('Campaign', String(id));
  const { campaign } = await gqlOk(app, ws.key, CampaignDocument, { id: gid });
  expect(campaign.status).toBe('PAUSED');
  expect(campaign.pauseReason).toMatch(/provider "sendgrid" kept failing \(3 batches in a row\); last error: SendGrid 503/);
  const requestsWhilePaused = fake.requests.length;
  clock.advance(3600_000);
  await drain(app, sender, ws.workspaceId);
  expect(fake.requests.length).toBe(requestsWhilePaused);
  expect(await statusCounts(app, id)).toEqual({ QUEUED: 6 });

  // A campaign launched while the circuit is open pauses at once, naming the open circuit.
  fake.faultWhen(null);
  const { templateId } = await basicTemplate(ws.ctx, 'Second');
  const later = await createCampaign(ws.ctx, { name: 'Later', category: 'TRANSACTIONAL', from: { email: 'shop@example.com' }, variants: [{ templateId }] });
  await launchCampaign(ws.ctx, later.id);
  await drain(app, sender, ws.workspaceId);
  expect(await app.core.db.prisma.campaign.findUniqueOrThrow({ where: { id: later.id } })).toMatchObject({ status: 'PAUSED', pauseReason: 'provider "sendgrid" circuit is open' });

  // Resuming closes the circuit; the sender's cached view of it does not pause the campaign again.
  expect((await gqlOk(app, ws.key, ResumeCampaignDocument, { id: gid })).resumeCampaign.status).toBe('SENDING');
  expect((await gqlOk(app, ws.key, ResumeCampaignDocument, { id: encodeGlobalID('Campaign', String(later.id)) })).resumeCampaign.status).toBe('SENDING');
  expect(await drain(app, sender, ws.workspaceId)).toBe(12);
  expect((await gqlOk(app, ws.key, CampaignDocument, { id: gid })).campaign.status).toBe('SENT');
});

test('a provider configuration that was disabled pauses the campaign with the reason instead of failing silently', async () => {
  const integrations = await app.core.db.prisma.integrationConfig.findMany({ where: { workspaceId: ws.workspaceId } });
  const id = await launch(2);
  await updateIntegration(ws.ctx, integrations[0].id, { enabled: false });
  expect(await drain(app, testSender(app), ws.workspaceId)).toBe(0);
  const c = await app.core.db.prisma.campaign.findUniqueOrThrow({ where: { id } });
  expect(c.status).toBe('PAUSED');
  expect(c.pauseReason).toMatch(/^cannot send: email provider integration \d+ is disabled$/);
  expect(await statusCounts(app, id)).toEqual({ QUEUED: 2 });
});
