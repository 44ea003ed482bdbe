// End to end over real sockets: persona → campaign (GraphQL) → the worker's delivery loops →
// the SendGrid provider → the loopback SendGrid fake → signed event webhook → message state,
// suppressions and stats. Forged webhooks are refused and nothing is applied.
import type { RowDataPacket } from 'mysql2/promise';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { App } from '../../api/app';
import type { RunningServer } from '../../api/server';
import { outbox } from '../../plugins/outbox';
import { sendgrid } from '../../plugins/sendgrid';
import { createTestApp, createTestWorkspace, startTestServer, type TestWorkspace } from '../support/test-app';
import { startSendGridFake, type SendGridFake } from '../support/sendgrid-fake';
import { gqlOk } from '../support/graphql-client';
import { CampaignDocument, CreateCampaignDocument, LaunchCampaignDocument } from '../generated/graphql';
import { createIntegration } from '../../core/integrations/integration-configs';
import { defineAttribute } from '../../core/attributes/attribute-definitions';
import { createPersona } from '../../core/personas/personas.service';
import { createDeliveryLoops } from '../../api/workers/delivery-loops';
import type { BackgroundLoop } from '../../core/background-loop';
import { basicTemplate, seedContacts } from '../campaigns/campaign-fixtures';
import { rebuildCampaignRollups } from '../../core/analytics/rollup-rebuild';
import { rollupSnapshot } from '../analytics/support/analytics-fixtures';

let fake: SendGridFake;
let app: App;
let server: RunningServer;
let ws: TestWorkspace;
let loops: BackgroundLoop[] = [];

beforeAll(async () => {
  fake = await startSendGridFake();
  app = await createTestApp({ plugins: [outbox(), sendgrid({ baseUrl: fake.url })] });
  server = await startTestServer(app);
});
afterAll(async () => {
  await Promise.all(loops.map((l) => l.stop()));
  await server.close();
  await app.close();
  await fake.close();
});

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('persona → campaign → worker → SendGrid → webhook → message state', async () => {
  ws = await createTestWorkspace(app);
  const integration = await createIntegration(ws.ctx, {
    kind: 'EMAIL_PROVIDER', key: 'sendgrid', name: 'SendGrid', isDefault: true,
    config: { apiKey: 'SG.test-key.personae', webhookPublicKey: fake.webhook.publicKey, batchSize: 50 },
  });
  await defineAttribute(ws.ctx, { key: 'plan', type: 'STRING' });
  await seedContacts(ws.ctx, [
    ...Array.from({ length: 30 }, (_, i) => ({ email: `pro${i}@example.com`, firstName: `Pro${i}`, attributes: { plan: 'pro' } })),
    ...Array.from({ length: 5 }, (_, i) => ({ email: `free${i}@example.com`, attributes: { plan: 'free' } })),
  ]);
  const { persona } = await createPersona(ws.ctx, { slug: 'pro', name: 'Pro', rule: { attribute: { key: 'plan', op: 'EQ', value: 'pro' } } });
  const tpl = await basicTemplate(ws.ctx);
  const { createCampaign } = await gqlOk(app, ws.key, CreateCampaignDocument, {
    input: {
      name: 'Pro launch', from: { email: 'news@example.com', name: 'News' },
      audience: { includePersonaIds: [encodeGlobalID('Persona', String(persona.id))] },
      variants: [{ templateId: encodeGlobalID('Template', String(tpl.templateId)) }],
    },
  });
  const { launchCampaign } = await gqlOk(app, ws.key, LaunchCampaignDocument, { id: createCampaign.id });
  expect(launchCampaign.audienceCount).toBe(30);

  loops = createDeliveryLoops(app.core, { sender: { workspaceId: ws.workspaceId, publicUrl: server.url, pollMs: 50, concurrency: 2 }, scheduler: { workspaceId: ws.workspaceId, tickMs: 100, scan: { settleMs: 0 } } });
  loops.forEach((l) => l.start());
  await until('the campaign to be SENT', async () => (await gqlOk(app, ws.key, CampaignDocument, { id: createCampaign.id })).campaign.status === 'SENT');

  const mine = fake.accepted.filter((m) => m.customArgs.personae_campaign_id === String(Number(Buffer.from(createCampaign.id, 'base64').toString().split(':')[1])));
  expect(mine).toHaveLength(30);
  expect(new Set(mine.map((m) => m.to.email)).size).toBe(30);
  expect(mine.every((m) => m.headers['List-Unsubscribe-Post'] === 'List-Unsubscribe=One-Click')).toBe(true);
  expect(mine[0].html).toContain(`${server.url}/t/o/`);

  // The provider reports back: deliveries, one hard bounce, one complaint, one human open.
  const [bounced, complained, opened] = mine;
  const events = [
    ...mine.filter((m) => m !== bounced).map((m) => fake.event(m, 'delivered')),
    fake.event(bounced, 'bounce'),
    fake.event(complained, 'spamreport'),
    fake.event(opened, 'open'),
    fake.event(opened, 'machine_open'),
  ];
  const hook = `${server.url}/webhooks/email/${integration.id}`;
  const first = await fake.webhook.post(hook, events);
  expect(first.status).toBe(200);
  expect(await first.json()).toMatchObject({ received: 33, applied: 33, duplicates: 0 });
  // SendGrid retries deliveries: the same events again change nothing, figures included.
  const campaignId = Number(Buffer.from(createCampaign.id, 'base64').toString().split(':')[1]);
  const afterFirst = await rollupSnapshot(ws.ctx, campaignId);
  const again = await fake.webhook.post(hook, events);
  expect(await again.json()).toMatchObject({ applied: 0, duplicates: 33 });
  expect(await rollupSnapshot(ws.ctx, campaignId)).toEqual(afterFirst);
  // A forged request (body changed after signing) is refused and applies nothing.
  const forged = await fake.webhook.post(hook, [fake.event(mine[3], 'bounce')], { tamper: (b) => b.replace('"bounce"', '"bounce" ') });
  expect(forged.status).toBe(403);

  const [rows] = await app.core.db.sql.query<RowDataPacket[]>('SELECT email, status, opened_at, machine_opened_at FROM messages WHERE workspace_id = ?', [ws.workspaceId]);
  const by = new Map(rows.map((r) => [r.email, r]));
  expect(by.get(bounced.to.email)!.status).toBe('BOUNCED');
  expect(by.get(mine[3].to.email)!.status).toBe('DELIVERED');
  expect(by.get(opened.to.email)!.opened_at).not.toBeNull();
  expect(rows.filter((r) => r.status === 'DELIVERED')).toHaveLength(29);
  const [supp] = await app.core.db.sql.query<RowDataPacket[]>('SELECT email_normalized, reason FROM suppressions WHERE workspace_id = ?', [ws.workspaceId]);
  expect(new Map(supp.map((s) => [s.email_normalized, s.reason]))).toEqual(new Map([[bounced.to.email, 'HARD_BOUNCE'], [complained.to.email, 'COMPLAINT']]));

  const { campaign } = await gqlOk(app, ws.key, CampaignDocument, { id: createCampaign.id });
  expect(campaign.stats).toMatchObject({ recipients: 30, sent: 30, delivered: 29, opened: 1, machineOpened: 0 });

  // The analytics rollups the worker and the webhook kept in their transactions equal a rebuild from the raw rows.
  const kept = await rollupSnapshot(ws.ctx, campaignId);
  await rebuildCampaignRollups(app.core, { workspaceId: ws.workspaceId, campaignId });
  expect(await rollupSnapshot(ws.ctx, campaignId)).toEqual(kept);
  expect(kept.counters.length).toBeGreaterThan(0);
});
