// Sharing the work: per-campaign and per-provider throttles hold across senders, and
// concurrent senders claim disjoint batches (SELECT … FOR UPDATE SKIP LOCKED) so nobody
// gets a message twice.
import type { RowDataPacket } from 'mysql2/promise';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { App } from '../../api/app';
import type { TestWorkspace } from '../support/test-app';
import { gqlOk } from '../support/graphql-client';
import { SetProviderThrottleDocument } from '../generated/graphql';
import { createIntegration } from '../../core/integrations/integration-configs';
import { updateWorkspace } from '../../core/workspaces/workspaces';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { basicTemplate, campaignTestHooks, drain, manyContacts, seedContacts, statusCounts, type TestClock, testSender } from '../campaigns/campaign-fixtures';

let app: App;
let ws: TestWorkspace;
let clock: TestClock;

campaignTestHooks((env) => ({ app, ws, clock } = env));

async function launch(n: number, over: { throttlePerMinute?: number; name?: string } = {}, prefix = 'r') {
  await seedContacts(ws.ctx, manyContacts(n, {}, prefix));
  const { templateId } = await basicTemplate(ws.ctx, `T-${prefix}`);
  const c = await createCampaign(ws.ctx, { name: over.name ?? 'C', from: { email: 'shop@example.com' }, variants: [{ templateId }], throttlePerMinute: over.throttlePerMinute });
  await launchCampaign(ws.ctx, c.id);
  return c.id;
}

test('a campaign throttle caps messages per minute', async () => {
  const id = await launch(12, { throttlePerMinute: 5 });
  const sender = testSender(app, { batchSize: 100 });
  expect(await drain(app, sender, ws.workspaceId)).toBe(5);
  clock.advance(30_000);
  expect(await drain(app, sender, ws.workspaceId)).toBe(0);
  clock.advance(31_000);
  expect(await drain(app, sender, ws.workspaceId)).toBe(5);
  clock.advance(61_000);
  expect(await drain(app, sender, ws.workspaceId)).toBe(2);
  expect(await statusCounts(app, id)).toEqual({ SENT: 12 });
});

test('a provider throttle caps all campaigns sending through it', async () => {
  await updateWorkspace(ws.ctx, { settings: { frequencyCap: { maxMessages: 100, windowDays: 1, minHoursBetween: 0 } } });
  const integ = await createIntegration(ws.ctx, { kind: 'EMAIL_PROVIDER', key: 'outbox', name: 'Outbox', isDefault: true, config: {} });
  await gqlOk(app, ws.key, SetProviderThrottleDocument, { integrationId: encodeGlobalID('Integration', String(integ.id)), maxPerMinute: 4 });
  const a = await launch(5, { name: 'A' }, 'a'); // 5 recipients
  const b = await launch(5, { name: 'B' }, 'b'); // the 5 before and 5 new: 10
  const sender = testSender(app);
  const perMinute: number[] = [];
  for (let minute = 0; minute < 5; minute++) {
    perMinute.push(await drain(app, sender, ws.workspaceId));
    clock.advance(61_000);
  }
  expect(perMinute).toEqual([4, 4, 4, 3, 0]);
  expect(await statusCounts(app, a)).toEqual({ SENT: 5 });
  expect(await statusCounts(app, b)).toEqual({ SENT: 10 });
});

test('concurrent senders claim disjoint batches: each recipient gets exactly one email', async () => {
  const id = await launch(120);
  const senders = [1, 2, 3, 4].map((i) => testSender(app, { owner: `concurrent-${i}`, batchSize: 7 }));
  const work = async (s: ReturnType<typeof testSender>) => {
    let sent = 0;
    for (let r = await s.sendBatch(id); r.claimed > 0; r = await s.sendBatch(id)) sent += r.sent;
    return sent;
  };
  const sent = await Promise.all(senders.map(work));
  expect(sent.reduce((a, b) => a + b, 0)).toBe(120);
  expect(sent.filter((n) => n > 0).length).toBeGreaterThan(1);
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>('SELECT to_email, COUNT(*) AS n FROM outbox_messages WHERE workspace_id = ? GROUP BY to_email HAVING n > 1', [ws.workspaceId]);
  expect(rows).toEqual([]);
  expect(await statusCounts(app, id)).toEqual({ SENT: 120 });
});
