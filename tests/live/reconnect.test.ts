// The client side documented in the README: a graphql-ws client configured to retry forever
// reconnects after its WebSocket is dropped, subscribes again, and is up to date at once —
// including a change made while it was disconnected.
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { print } from 'graphql';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { App } from '../../api/app';
import type { RunningServer } from '../../api/server';
import { createTestApp, createTestWorkspace, startTestServer } from '../support/test-app';
import { LiveCampaignStatsDocument, type LiveCampaignStatsSubscription } from '../generated/graphql';
import { seedCampaign, seedContacts } from '../analytics/support/analytics-fixtures';
import { recordStatuses } from '../analytics/support/simulated-delivery';

let app: App;
let server: RunningServer;
let client: Client;
const sockets = new Set<Socket>();

beforeAll(async () => {
  app = await createTestApp();
  server = await startTestServer(app);
  // Observe upgraded sockets (the WebSocket server keeps its own listener) so the test can cut them.
  server.server.on('upgrade', (_req, socket: Socket) => sockets.add(socket));
});
afterAll(async () => {
  await client?.dispose();
  await server.close(1000);
  await app.close();
});

test('a dropped WebSocket reconnects, resubscribes and shows what changed meanwhile', async () => {
  const ws = await createTestWorkspace(app);
  const c = await seedCampaign(ws.ctx, { contactIds: await seedContacts(ws.ctx, 3) });
  let connections = 0;
  // The README's configuration (retryWait shortened for the test).
  client = createClient({
    url: server.url.replace('http', 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${ws.key}` },
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: () => new Promise((r) => setTimeout(r, 100)),
    on: { connected: () => void connections++ },
  });
  const received: LiveCampaignStatsSubscription[] = [];
  const waitFor = async (pred: (r: LiveCampaignStatsSubscription) => boolean) => {
    for (let i = 0; i < 300 && !received.some(pred); i++) await new Promise((r) => setTimeout(r, 50));
    expect(received.some(pred)).toBe(true);
  };
  client.subscribe({ query: print(LiveCampaignStatsDocument), variables: { campaignId: encodeGlobalID('Campaign', String(c.campaignId)) } }, {
    next: (r) => received.push(r.data as LiveCampaignStatsSubscription),
    error: (e) => { throw e; },
    complete: () => {},
  });
  await waitFor((r) => r.campaignStats.sent === 0);
  expect(connections).toBe(1);

  // The network drops; meanwhile a message goes out (its event reaches nobody).
  for (const s of sockets) s.destroy();
  await recordStatuses(ws.ctx, [{ id: c.messageIds[0], status: 'SENT', sentAt: new Date() }]);
  app.core.events.emit('analytics.rollups.changed', { workspaceId: ws.workspaceId, campaignIds: [c.campaignId] });

  await waitFor((r) => r.campaignStats.sent === 1);
  expect(connections).toBeGreaterThanOrEqual(2);

  // And it keeps receiving live changes on the new connection.
  await recordStatuses(ws.ctx, [{ id: c.messageIds[1], status: 'SENT', sentAt: new Date() }]);
  app.core.events.emit('analytics.rollups.changed', { workspaceId: ws.workspaceId, campaignIds: [c.campaignId] });
  await waitFor((r) => r.campaignStats.sent === 2);
});
