// Shared execution of subscription events (api/yoga-plugins/use-shared-subscription-results.ts):
// subscribers of one workspace and key scope share one execution per event, whatever their
// transport; another workspace, or a key of another scope, gets its own execution and never
// sees the others' data, even when every subscriber is handed the same event object.
import { once } from 'node:events';
import { parse } from 'graphql';
import WebSocket from 'ws';
import type { Client } from 'graphql-ws';
import type { App } from '../../api/app';
import type { RunningServer } from '../../api/server';
import { createKey, createTestApp, createTestWorkspace, startTestServer, type TestWorkspace } from '../support/test-app';
import { sharedTicksPlugin, ticks } from '../support/shared-ticks-plugin';
import { pause, subscribeSse, subscribeWs, wsClient, type Received } from '../analytics/support/subscription-client';

type Tick = { testTicks: { n: number; workspaceId: number; adminNote: string | null } };
const TICKS = parse('subscription { testTicks { n workspaceId adminNote } }');

let app: App;
let server: RunningServer;
let a: TestWorkspace;
let b: TestWorkspace;
let aReadKey: string;
const clients: Client[] = [];
const streams: Received<Tick>[] = [];

beforeAll(async () => {
  app = await createTestApp({ plugins: [sharedTicksPlugin()] });
  server = await startTestServer(app);
  a = await createTestWorkspace(app);
  b = await createTestWorkspace(app);
  aReadKey = await createKey(app, a.workspaceId, 'READ');
});
afterAll(async () => {
  streams.forEach((s) => s.stop());
  await Promise.all(clients.map((c) => c.dispose()));
  await server.close(1000);
  await app.close();
});

function overWs(key: string): Received<Tick> {
  const c = wsClient(server.url, key);
  clients.push(c);
  const s = subscribeWs<Tick>(c, TICKS);
  streams.push(s);
  return s;
}

async function listening(n: number) {
  for (let i = 0; i < 200 && ticks.listeners.size !== n; i++) await pause(25);
  expect(ticks.listeners.size).toBe(n);
}

test('one execution per event per workspace and scope; nobody sees another workspace\'s data or a scope it lacks', async () => {
  const admins = [overWs(a.key), overWs(a.key)];
  const sse = subscribeSse<Tick>(server.url, a.key, TICKS);
  streams.push(sse);
  const reader = overWs(aReadKey);
  const other = overWs(b.key);
  await listening(5);

  ticks.executions = 0;
  ticks.publish(1);
  for (const s of [...admins, sse]) {
    const r = await s.until((x) => x.data?.testTicks.n === 1);
    expect(r.data!.testTicks).toEqual({ n: 1, workspaceId: a.workspaceId, adminNote: 'admins only 1' });
  }
  const read = await reader.until((x) => x.data?.testTicks.n === 1);
  expect(read.data!.testTicks).toEqual({ n: 1, workspaceId: a.workspaceId, adminNote: null });
  expect(reader.results[0].errors!.map((e) => e.extensions!.code)).toEqual(['FORBIDDEN']);
  const theirs = await other.until((x) => x.data?.testTicks.n === 1);
  expect(theirs.data!.testTicks).toEqual({ n: 1, workspaceId: b.workspaceId, adminNote: 'admins only 1' });
  // Three groups (A admin ×3 over two transports, A read, B admin): three executions, not five.
  expect(ticks.executions).toBe(3);

  ticks.publish(2);
  await Promise.all([...admins, sse, reader, other].map((s) => s.until((x) => x.data?.testTicks.n === 2)));
  expect(ticks.executions).toBe(6);
  expect(other.results.every((r) => r.data!.testTicks.workspaceId === b.workspaceId)).toBe(true);
});

test('a subscriber that leaves does not stop its group', async () => {
  const before = ticks.listeners.size;
  const staying = overWs(a.key);
  const leaving = overWs(a.key);
  await listening(before + 2);
  leaving.stop();
  await listening(before + 1);
  ticks.publish(3);
  const r = await staying.until((x) => x.data?.testTicks.n === 3);
  expect(r.data!.testTicks.workspaceId).toBe(a.workspaceId);
});

/** A bare graphql-transport-ws client: what each message on the wire is, byte for byte parsed. */
async function rawSubscriber(key: string, id: string) {
  const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (d) => messages.push(JSON.parse(String(d))));
  await once(socket, 'open');
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }));
  for (let i = 0; i < 200 && !messages.some((m) => m.type === 'connection_ack'); i++) await pause(10);
  socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: 'subscription { testTicks { n workspaceId adminNote } }' } }));
  const nexts = () => messages.filter((m) => m.id === id && m.type === 'next');
  return { socket, messages, nexts };
}

test('on WebSocket a shared result is written straight to each socket as the protocol\'s next message; errors take the usual, masked way; complete ends it', async () => {
  const before = ticks.listeners.size;
  const admin = await rawSubscriber(a.key, 'mine-1');
  const reader = await rawSubscriber(aReadKey, 'mine-2');
  await listening(before + 2);

  ticks.publish(4);
  for (let i = 0; i < 200 && (!admin.nexts().length || !reader.nexts().length); i++) await pause(10);
  expect(admin.nexts()).toEqual([{ id: 'mine-1', type: 'next', payload: { data: { testTicks: { n: 4, workspaceId: a.workspaceId, adminNote: 'admins only 4' } } } }]);
  // The READ key's result has an error: it goes through graphql-ws and yoga's error masking.
  expect(reader.nexts()).toHaveLength(1);
  const withError = reader.nexts()[0].payload as { data: unknown; errors: { message: string; path: string[]; extensions: { code: string } }[] };
  expect(withError.data).toEqual({ testTicks: { n: 4, workspaceId: a.workspaceId, adminNote: null } });
  expect(withError.errors.map((e) => [e.path, e.extensions.code])).toEqual([[['testTicks', 'adminNote'], 'FORBIDDEN']]);

  // The client completes: the server stops the stream (its feed listener goes) and sends nothing more for it.
  admin.socket.send(JSON.stringify({ id: 'mine-1', type: 'complete' }));
  await listening(before + 1);
  ticks.publish(5);
  for (let i = 0; i < 200 && reader.nexts().length < 2; i++) await pause(10);
  await pause(50);
  expect(admin.nexts()).toHaveLength(1);
  reader.socket.close();
  admin.socket.close();
  await listening(before);
});
