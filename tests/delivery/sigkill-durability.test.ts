// Durability with a real worker process killed with SIGKILL in the middle of a provider call.
// Between the worker and the SendGrid fake sits a proxy that forwards each request at once
// but holds the answer back, so at the kill the fake has accepted messages the worker never
// heard about: the hardest case. After a fresh worker finishes the campaign, every recipient
// has received exactly one email, except the batch that was in flight, whose messages are
// recorded UNCERTAIN (delivered at most once: never sent again, never silently dropped).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import { outbox } from '../../plugins/outbox';
import { sendgrid } from '../../plugins/sendgrid';
import { createTestApp, createTestWorkspace, testDatabaseUrl, type TestWorkspace } from '../support/test-app';
import { startSendGridFake, type SendGridFake } from '../support/sendgrid-fake';
import { createIntegration } from '../../core/integrations/integration-configs';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { basicTemplate, manyContacts, seedContacts } from '../campaigns/campaign-fixtures';
import { rebuildCampaignRollups } from '../../core/analytics/rollup-rebuild';
import { rollupSnapshot } from '../analytics/support/analytics-fixtures';

const RECIPIENTS = 300;
const BATCH = 40;
const RESPONSE_DELAY_MS = 200;

let fake: SendGridFake;
let proxy: Server;
let proxyUrl: string;
let app: App;
let ws: TestWorkspace;
const children: ChildProcess[] = [];

/** Forwards to the fake immediately; answers the worker RESPONSE_DELAY_MS later. */
async function startSlowProxy(target: string): Promise<Server> {
  const t = new URL(target);
  const server = createServer((req, res) => {
    const upstream = httpRequest({ host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (c) => chunks.push(c));
      up.on('end', () => setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(up.statusCode ?? 502, up.headers);
        res.end(Buffer.concat(chunks));
      }, RESPONSE_DELAY_MS));
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return server;
}

function startWorker(): Promise<ChildProcess> {
  // `--import tsx` runs the worker in this very process (the tsx CLI would fork a grandchild, which SIGKILL would miss).
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'support', 'worker-child.ts')], {
    env: {
      ...process.env,
      PERSONAE_TEST_DATABASE_URL: testDatabaseUrl(),
      PERSONAE_SECRET_KEY: 'test-secret-key-not-for-production',
      SENDGRID_BASE_URL: proxyUrl,
      WORKSPACE_ID: String(ws.workspaceId),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('ready') && resolve(child));
    child.on('exit', (code) => reject(new Error(`worker exited early (${code}): ${stderr}`)));
  });
}

async function until<T>(what: string, fn: () => Promise<T | null | false>, timeoutMs = 60_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function counts(campaignId: number): Promise<Record<string, number>> {
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>('SELECT status, COUNT(*) AS n FROM messages WHERE campaign_id = ? GROUP BY status', [campaignId]);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

beforeAll(async () => {
  fake = await startSendGridFake();
  proxy = await startSlowProxy(fake.url);
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  app = await createTestApp({ plugins: [outbox(), sendgrid({ baseUrl: proxyUrl })] });
});
afterAll(async () => {
  for (const c of children) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
  }
  await app.close();
  await new Promise((r) => proxy.close(r));
  await fake.close();
});

test('a worker SIGKILLed mid-send loses nothing and duplicates nothing; the in-flight batch is recorded UNCERTAIN', async () => {
  ws = await createTestWorkspace(app);
  await createIntegration(ws.ctx, {
    kind: 'EMAIL_PROVIDER', key: 'sendgrid', name: 'SendGrid', isDefault: true,
    config: { apiKey: 'SG.test-key.personae', batchSize: BATCH, concurrency: 20, timeoutMs: 2000 },
  });
  await seedContacts(ws.ctx, manyContacts(RECIPIENTS));
  const tpl = await basicTemplate(ws.ctx);
  const campaign = await createCampaign(ws.ctx, { name: 'Durable', from: { email: 'shop@example.com' }, variants: [{ templateId: tpl.templateId }] });
  await launchCampaign(ws.ctx, campaign.id);
  expect(await counts(campaign.id)).toEqual({ QUEUED: RECIPIENTS });

  const first = await startWorker();
  // Kill while a batch is with the provider (DISPATCHING), after some batches completed.
  await until('a batch in flight after progress', async () => {
    const c = await counts(campaign.id);
    return (c.SENT ?? 0) >= BATCH && (c.DISPATCHING ?? 0) > 0;
  }, 60_000, 5);
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  const atKill = await counts(campaign.id);
  expect(atKill.DISPATCHING).toBeGreaterThan(0);

  await startWorker();
  await until('the campaign to finish', async () => {
    const [[c]] = await app.core.db.sql.query<RowDataPacket[]>('SELECT status FROM campaigns WHERE id = ?', [campaign.id]);
    return c.status === 'SENT';
  });

  const final = await counts(campaign.id);
  // Every recipient has a recorded fate; only the killed batch is uncertain.
  expect(Object.keys(final).sort()).toEqual(['SENT', 'UNCERTAIN']);
  expect(final.UNCERTAIN).toBe(atKill.DISPATCHING);
  expect(final.UNCERTAIN).toBeLessThanOrEqual(BATCH);
  expect(final.SENT + final.UNCERTAIN).toBe(RECIPIENTS);

  // What the provider actually received: nobody twice; every SENT message exactly once.
  const mine = fake.accepted.filter((m) => m.customArgs.personae_campaign_id === String(campaign.id));
  const perMessage = new Map<string, number>();
  for (const m of mine) perMessage.set(m.customArgs.personae_message_id, (perMessage.get(m.customArgs.personae_message_id) ?? 0) + 1);
  expect([...perMessage.values()].every((n) => n === 1)).toBe(true);
  expect(new Set(mine.map((m) => m.to.email)).size).toBe(mine.length);
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>('SELECT id, status, error FROM messages WHERE campaign_id = ?', [campaign.id]);
  for (const r of rows) {
    if (r.status === 'SENT') expect(perMessage.get(String(r.id))).toBe(1);
    else expect(r.error).toMatch(/stopped while the provider call was in flight/);
  }
  // The ambiguous case really happened: the fake accepted messages the dead worker never recorded.
  const uncertainDelivered = rows.filter((r) => r.status === 'UNCERTAIN' && perMessage.has(String(r.id))).length;
  expect(mine.length).toBe(final.SENT + uncertainDelivered);

  // Analytics counters kept through the kill equal a rebuild from the raw rows.
  const kept = await rollupSnapshot(ws.ctx, campaign.id);
  await rebuildCampaignRollups(app.core, { workspaceId: ws.workspaceId, campaignId: campaign.id });
  expect(await rollupSnapshot(ws.ctx, campaign.id)).toEqual(kept);
}, 120_000);
