// Health, readiness and graceful shutdown on a real listening server.
import WebSocket from 'ws';
import { definePlugin, defineRoute } from '../../plugins/sdk';
import type { App } from '../../api/app';
import type { RunningServer } from '../../api/server';
import { createTestApp, startTestServer } from '../support/test-app';

let releaseSlow: () => void = () => {};
const slowPlugin = definePlugin({
  name: '@test/slow',
  version: '1.0.0',
  compatibility: '^1.0.0',
  routes: [
    defineRoute({
      method: 'GET',
      path: '/slow',
      auth: 'public',
      handler: () => new Promise<Response>((resolve) => (releaseSlow = () => resolve(new Response('finished')))),
    }),
  ],
});

let app: App;
let server: RunningServer;

beforeAll(async () => {
  app = await createTestApp({ plugins: [slowPlugin()] });
  server = await startTestServer(app);
});
afterAll(() => app.close());

test('healthz and readyz answer while running', async () => {
  expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
  const ready = await fetch(`${server.url}/readyz`);
  expect(ready.status).toBe(200);
});

test('graceful shutdown: in-flight requests finish, sockets close, new connections are refused', async () => {
  const socket = new WebSocket(server.url.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
  await new Promise((r) => socket.once('open', r));
  const closed = new Promise<number>((r) => socket.once('close', (code) => r(code)));

  const inFlight = fetch(`${server.url}/slow`).then(async (r) => ({ status: r.status, body: await r.text() }));
  await new Promise((r) => setTimeout(r, 100));
  const closing = server.close(5000);
  await new Promise((r) => setTimeout(r, 100));
  expect(app.ready).toBe(false);
  expect(await closed).toBe(1001); // Going Away

  releaseSlow();
  expect(await inFlight).toEqual({ status: 200, body: 'finished' });
  await closing;
  await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
});
