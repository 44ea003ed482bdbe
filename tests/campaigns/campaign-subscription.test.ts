// Live campaign progress over graphql-ws: campaignUpdated emits the campaign (re-read through
// the caller's workspace) on launch, each batch and completion; another workspace's campaign
// cannot be followed.
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { App } from '../../api/app';
import type { RunningServer } from '../../api/server';
import { outbox } from '../../plugins/outbox';
import { createTestApp, createTestWorkspace, startTestServer } from '../support/test-app';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { basicTemplate, controlClock, drain, manyContacts, seedContacts, testSender } from './campaign-fixtures';

let app: App;
let server: RunningServer;
const clients: Client[] = [];

beforeAll(async () => {
  app = await createTestApp({ plugins: [outbox()] });
  controlClock(app);
  server = await startTestServer(app);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await server.close(1000);
  await app.close();
});

const QUERY = 'subscription($id: ID!) { campaignUpdated(id: $id) { id status stats { sent } } }';

function client(key: string): Client {
  const c = createClient({ url: server.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${key}` }, retryAttempts: 0, lazy: true });
  clients.push(c);
  return c;
}

test('campaignUpdated follows a campaign to SENT; other workspaces get NOT_FOUND', async () => {
  const ws = await createTestWorkspace(app);
  await seedContacts(ws.ctx, manyContacts(6));
  const { templateId } = await basicTemplate(ws.ctx);
  const c = await createCampaign(ws.ctx, { name: 'Live', from: { email: 'shop@example.com' }, variants: [{ templateId }] });
  const id = encodeGlobalID('Campaign', String(c.id));

  const seen: { status: string; sent: number }[] = [];
  let ready!: () => void;
  const subscribed = new Promise<void>((r) => (ready = r));
  const done = new Promise<void>((resolve, reject) => {
    const stop = client(ws.key).subscribe({ query: QUERY, variables: { id } }, {
      next: (r) => {
        const u = (r.data as { campaignUpdated: { status: string; stats: { sent: number } } }).campaignUpdated;
        seen.push({ status: u.status, sent: u.stats.sent });
        if (u.status === 'SENT') {
          stop();
          resolve();
        }
      },
      error: reject,
      complete: () => resolve(),
    });
    // graphql-ws has no "subscribed" ack: give the server a moment to register the listener.
    setTimeout(ready, 300);
  });
  await subscribed;
  await launchCampaign(ws.ctx, c.id);
  await drain(app, testSender(app, { batchSize: 2 }), ws.workspaceId);
  await done;
  expect(seen[0].status).toBe('SENDING');
  expect(seen[seen.length - 1]).toEqual({ status: 'SENT', sent: 6 });

  const stranger = await createTestWorkspace(app);
  const error = await new Promise<unknown>((resolve) => {
    client(stranger.key).subscribe({ query: QUERY, variables: { id } }, { next: (r) => resolve(r.errors), error: resolve, complete: () => resolve(null) });
  });
  expect(JSON.stringify(error)).toContain('NOT_FOUND');
});
