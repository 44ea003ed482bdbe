// Subscriptions over graphql-ws (WebSocket) and over SSE on the same /graphql endpoint, with
// the API key in connection_init (WebSocket) or the request headers (SSE).
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { App } from '../../api/app';
import type { RunningServer } from '../../api/server';
import { enqueueJob } from '../../core/jobs/job-queue';
import { createTestApp, createTestWorkspace, startTestServer, type TestWorkspace } from '../support/test-app';

let app: App;
let server: RunningServer;
let a: TestWorkspace;
let b: TestWorkspace;
const clients: Client[] = [];

beforeAll(async () => {
  app = await createTestApp();
  server = await startTestServer(app);
  a = await createTestWorkspace(app);
  b = await createTestWorkspace(app);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await server.close(1000);
  await app.close();
});

function wsClient(connectionParams: Record<string, unknown>): Client {
  const client = createClient({ url: server.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
  clients.push(client);
  return client;
}

const SUBSCRIPTION = 'subscription($id: ID!) { jobUpdated(id: $id) { id status progress } }';

async function newJob(workspaceId: number) {
  const job = await enqueueJob(app.core, { workspaceId, kind: 'test.noop' });
  return { id: String(job.id), gid: encodeGlobalID('Job', String(job.id)) };
}

/** Collects results until `n` arrive (or `until` says so) or the subscription ends. */
function collect(client: Client, variables: Record<string, unknown>, n: number | ((results: any[]) => boolean)) {
  const enough = typeof n === 'number' ? (results: any[]) => results.length >= n : n;
  const results: any[] = [];
  const done = new Promise<any[]>((resolve, reject) => {
    const stop = client.subscribe({ query: SUBSCRIPTION, variables }, {
      next: (r) => {
        results.push(r);
        if (enough(results)) {
          stop();
          resolve(results);
        }
      },
      error: (e) => reject(e),
      complete: () => resolve(results),
    });
  });
  return Object.assign(done, { results });
}

/**
 * Emits `emit()` every 50 ms until `live()` says a result arrived: the subscription is then
 * registered with the pubsub (a fixed sleep is not enough on a loaded machine, and an event
 * published before that is not seen).
 */
async function untilLive(live: () => boolean, emit: () => void) {
  for (let i = 0; !live(); i++) {
    if (i > 200) throw new Error('the subscription never received an event');
    emit();
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('WebSocket: authenticated in connection_init, receives its workspace\'s events re-read through the resolvers', async () => {
  const job = await newJob(a.workspaceId);
  const client = wsClient({ authorization: `Bearer ${a.key}` });
  // Until the result after the update: on a busy machine untilLive may emit twice before the
  // first result arrives, and each of those events brings a result of its own.
  const received = collect(client, { id: job.gid }, (results) => results.at(-1)?.data?.jobUpdated?.status === 'SUCCEEDED');
  await untilLive(() => received.results.length > 0, () => {
    app.core.events.emit('job.updated', { workspaceId: b.workspaceId, jobId: job.id, status: 'RUNNING', progress: 0.9 }); // wrong workspace: ignored
    app.core.events.emit('job.updated', { workspaceId: a.workspaceId, jobId: job.id, status: 'RUNNING', progress: 0.5 });
  });
  await app.core.db.prisma.job.update({ where: { id: BigInt(job.id) }, data: { status: 'SUCCEEDED', progress: 1 } });
  app.core.events.emit('job.updated', { workspaceId: a.workspaceId, jobId: job.id, status: 'SUCCEEDED', progress: 1 });
  const results = await received;
  // The payload is re-read from the database, so each event shows what the row says: QUEUED
  // before the update (not the RUNNING the events claimed), SUCCEEDED after it.
  expect(results.map((r) => r.data.jobUpdated.id)).toEqual(results.map(() => job.gid));
  expect(results[0].data.jobUpdated.status).toBe('QUEUED');
  expect(results.at(-1).data.jobUpdated).toMatchObject({ status: 'SUCCEEDED', progress: 1 });
});

test('WebSocket: another workspace\'s job id is NOT_FOUND, like a missing one', async () => {
  const job = await newJob(a.workspaceId);
  const client = wsClient({ authorization: `Bearer ${b.key}` });
  // graphql-ws reports an error raised while starting a subscription as an `error` message.
  const foreign = await collect(client, { id: job.gid }, 1).then(() => null, (errors) => errors);
  expect(foreign[0].extensions.code).toBe('NOT_FOUND');
  const missingId = encodeGlobalID('Job', '999999999');
  const missing = await collect(client, { id: missingId }, 1).then(() => null, (errors) => errors);
  expect(missing[0].message.replace(missingId, 'X')).toBe(foreign[0].message.replace(job.gid, 'X'));
});

test('WebSocket: an invalid key is refused at connection_init (close 4403)', async () => {
  const client = wsClient({ authorization: 'Bearer pk_AAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' });
  const err = await collect(client, { id: encodeGlobalID('Job', '1') }, 1).catch((e) => e);
  expect(err.code).toBe(4403);
});

test('WebSocket: no key at all gets UNAUTHENTICATED for the operation', async () => {
  const client = wsClient({});
  const results = await collect(client, { id: encodeGlobalID('Job', '1') }, 1);
  expect(results).toEqual([{ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })] }]);
});

test('cancelling a queued job ends its subscription with CANCELLED', async () => {
  const job = await newJob(a.workspaceId);
  const client = wsClient({ authorization: `Bearer ${a.key}` });
  const received = collect(client, { id: job.gid }, 50); // completes early when the job ends
  await untilLive(() => received.results.length > 0, () => app.core.events.emit('job.updated', { workspaceId: a.workspaceId, jobId: job.id, status: 'QUEUED', progress: 0 }));
  const cancel = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${a.key}` },
    body: JSON.stringify({ query: 'mutation($id: ID!) { cancelJob(id: $id) { status } }', variables: { id: job.gid } }),
  });
  expect((await cancel.json()).data.cancelJob.status).toBe('CANCELLED');
  const statuses = (await received).map((r) => r.data.jobUpdated.status);
  expect(statuses.at(-1)).toBe('CANCELLED');
  expect(new Set(statuses.slice(0, -1))).toEqual(new Set(['QUEUED']));
});

test('SSE on the same endpoint, authenticated by header', async () => {
  const job = await newJob(a.workspaceId);
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${a.key}` },
    body: JSON.stringify({ query: SUBSCRIPTION, variables: { id: job.gid } }),
  });
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = res.body!.getReader();
  let text = '';
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += Buffer.from(value!).toString();
      if (text.includes('"FAILED"')) return;
    }
  })();
  await untilLive(() => text.includes('jobUpdated'), () => app.core.events.emit('job.updated', { workspaceId: a.workspaceId, jobId: job.id, status: 'RUNNING', progress: 0 }));
  await app.core.db.prisma.job.update({ where: { id: BigInt(job.id) }, data: { status: 'FAILED' } });
  app.core.events.emit('job.updated', { workspaceId: a.workspaceId, jobId: job.id, status: 'FAILED', progress: 0 });
  await reading;
  await reader.cancel();
  const data = text.split('\n').filter((l) => l.startsWith('data: {"data"')).at(-1);
  expect(JSON.parse(data!.slice(6))).toEqual({ data: { jobUpdated: { id: job.gid, status: 'FAILED', progress: 0 } } });
});
