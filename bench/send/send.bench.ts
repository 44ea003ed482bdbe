// A 100,000-recipient personalised campaign end to end: launch (audience snapshot into
// message rows), then the worker's delivery loops claim, check, render (MJML + Liquid with
// contact and profile fields, tracked links, open pixel, unsubscribe headers), hand batches
// to the sendgrid provider and record outcomes, against the loopback SendGrid fake running in
// its own process. Baseline in the same run: pre-rendered payloads through the same provider
// to the same fake (the transport ceiling the worker cannot beat).
//   npx tsx bench/send/send.bench.ts            (N=100000 SENDER_CONCURRENCY=4 SG_CONCURRENCY=8)
//   WORKERS=2 npx tsx bench/send/send.bench.ts  (the loops in 2 worker processes instead of this one)
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { RowDataPacket } from 'mysql2/promise';
import { createLogger } from '../../core/logger';
import { createCoreServices } from '../../api/core-services';
import { PluginHost } from '../../plugins/sdk/plugin-host';
import { outbox } from '../../plugins/outbox';
import { sendgrid } from '../../plugins/sendgrid';
import { migrate } from '../../scripts/db/migration-runner';
import { formatDatabaseUrl } from '../../core/db/database-url';
import { recreateDatabase } from '../bench-database';
import { forWorkspace } from '../../core/context';
import { createWorkspace } from '../../core/workspaces/workspaces';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { setTrackingBaseUrl } from '../../core/tracking/tracking-config';
import { createCampaignSenderLoop } from '../../api/workers/campaign-sender.loop';
import { createDeliverySchedulerLoop } from '../../api/workers/delivery-scheduler.loop';
import { seedCampaignSetup, seedContacts } from './bench-data';
import { preRenderedRate } from './prerendered-baseline';
import { FAKE_SENDGRID_KEY as KEY, startFakeSendGridProcess } from './fake-process-handle';

const N = Number(process.env.N ?? 100_000);
const DB = 'personae_bench_send';

/** A worker process, ready (and idle) before the campaign is launched. */
async function startWorker(args: { url: string; fakeUrl: string; workspaceId: number }) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'worker-process.ts')], {
    env: { ...process.env, BENCH_DATABASE_URL: args.url, SENDGRID_BASE_URL: args.fakeUrl, WORKSPACE_ID: String(args.workspaceId) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => createInterface({ input: child.stdout! }).once('line', () => resolve()));
  return {
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

async function main() {
  const base = { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: DB };
  const url = formatDatabaseUrl(base);
  await recreateDatabase(url);
  await migrate(url);

  const fake = await startFakeSendGridProcess();
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', name: 'bench-send' });
  const core = createCoreServices({ databaseUrl: url, secretKey: 'bench-secret-key-not-for-production', log, poolSize: 20 });
  const plugins = new PluginHost([outbox(), sendgrid({ baseUrl: fake.url })]);
  plugins.registerExtensions(core.extensions);
  await plugins.setup(core);
  setTrackingBaseUrl(core, 'https://t.shop.example');

  const ws = await createWorkspace(core, { name: 'Bench shop', timezone: 'Europe/London' });
  const ctx = forWorkspace(core, ws.id, { type: 'system', name: 'bench' });
  let t = performance.now();
  await seedContacts(ctx, N);
  const seedS = (performance.now() - t) / 1000;
  const { templateId } = await seedCampaignSetup(ctx, KEY);
  const campaign = await createCampaign(ctx, { name: 'Bench', from: { email: 'news@shop.example', name: 'Shop' }, utm: { source: 'personae', medium: 'email', campaign: 'bench' }, variants: [{ templateId }] });

  // Worker processes start idle (nothing is live yet) so their start-up is not timed.
  const workers = Number(process.env.WORKERS ?? 0);
  const children = await Promise.all(Array.from({ length: workers }, () => startWorker({ url, fakeUrl: fake.url, workspaceId: ws.id })));
  t = performance.now();
  const launched = await launchCampaign(ctx, campaign.id);
  const launchS = (performance.now() - t) / 1000;

  const loops = workers ? [] : [
    createCampaignSenderLoop(core, { publicUrl: 'https://t.shop.example', concurrency: Number(process.env.SENDER_CONCURRENCY ?? 4), pollMs: 100, workspaceId: ws.id }),
    createDeliverySchedulerLoop(core, { tickMs: 500, workspaceId: ws.id }),
  ];
  t = performance.now();
  loops.forEach((l) => l.start());
  for (;;) {
    const [[c]] = await core.db.sql.query<RowDataPacket[]>('SELECT status FROM campaigns WHERE id = ?', [campaign.id]);
    if (c.status === 'SENT') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const sendS = (performance.now() - t) / 1000;
  await Promise.all(loops.map((l) => l.stop()));
  await Promise.all(children.map((c) => c.stop()));
  const [byStatus] = await core.db.sql.query<RowDataPacket[]>('SELECT status, COUNT(*) AS n FROM messages WHERE campaign_id = ? GROUP BY status', [campaign.id]);
  const accepted = (await fake.counts()).acceptedMessages;

  const baseline = await preRenderedRate(ctx, { sendgridBaseUrl: fake.url, apiKey: KEY, templateId, messages: Math.min(20_000, N) });

  console.log(`recipients: ${launched.audienceCount} (seeded in ${seedS.toFixed(1)} s)`);
  console.log(`launch (audience snapshot into message rows): ${launchS.toFixed(2)} s = ${Math.round(launched.audienceCount / launchS)} rows/s`);
  console.log(`end to end through ${workers ? `${workers} worker processes` : 'the worker'} (claim, checks, render, sendgrid → fake, outcomes): ${Math.round(launched.audienceCount / sendS)} messages/s (${sendS.toFixed(1)} s; ${byStatus.map((r) => `${r.status} ${r.n}`).join(', ')}; fake accepted ${accepted})`);
  console.log(`baseline, same run: pre-rendered payloads through the same provider to the fake: ${Math.round(baseline)} messages/s`);

  fake.stop();
  await plugins.teardown(log);
  await core.db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
