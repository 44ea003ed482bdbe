// Training through the API: the mutation queues a job, a worker runs it, progress streams over
// the modelTrainingProgress subscription (WebSocket), and cancellation registers nothing.
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { print } from 'graphql';
import type { App } from '../../api/app';
import type { RunningServer } from '../../api/server';
import type { BackgroundLoop } from '../../core/background-loop';
import { createJobWorker } from '../../api/workers/job-worker';
import { ExtensionRegistry } from '../../core/extensions/registry';
import type { JobHandler } from '../../core/jobs/job-handler';
import { createTestApp, createTestWorkspace, startTestServer, type TestWorkspace } from '../support/test-app';
import { errorCodes, gqlOk } from '../support/graphql-client';
import { tfjsPropensity } from '../../plugins/tfjs-propensity';
import { CancelModelTrainingDocument, DefineModelTargetDocument, ModelTargetsDocument, ModelTrainingProgressDocument, TrainPropensityModelDocument, type ModelTrainingProgressSubscription } from '../generated/graphql';
import { seedShop } from './support/synthetic-shop';

type Frame = ModelTrainingProgressSubscription['modelTrainingProgress'];

let app: App;
let server: RunningServer;
let worker: BackgroundLoop;
let ws: TestWorkspace;
const clients: Client[] = [];

beforeAll(async () => {
  app = await createTestApp({ plugins: [tfjsPropensity({})] });
  server = await startTestServer(app);
  // A worker for this domain's jobs only: other suites' jobs in the shared database are not ours to run.
  const jobs = new ExtensionRegistry<JobHandler>('job handler');
  for (const kind of ['models.train', 'models.score']) jobs.register(app.core.extensions.jobs.get(kind)!, 'test');
  worker = createJobWorker({ ...app.core, extensions: { ...app.core.extensions, jobs } }, { pollMs: 50 });
  worker.start();
});
afterAll(async () => {
  await worker.stop();
  await Promise.all(clients.map((c) => c.dispose()));
  await server.close(1000);
  await app.close();
});
beforeEach(async () => {
  ws = await createTestWorkspace(app);
});

function subscribe(key: string, jobId: string, onFrame: (f: Frame) => void = () => {}): Promise<{ frames: Frame[]; errors: unknown }> {
  const client = createClient({ url: server.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${key}` }, retryAttempts: 0, lazy: true });
  clients.push(client);
  const frames: Frame[] = [];
  return new Promise((resolve) => {
    client.subscribe<ModelTrainingProgressSubscription>({ query: print(ModelTrainingProgressDocument), variables: { jobId } }, {
      next: (r) => {
        if (r.data) {
          frames.push(r.data.modelTrainingProgress);
          onFrame(r.data.modelTrainingProgress);
        }
      },
      error: (errors) => resolve({ frames, errors }),
      complete: () => resolve({ frames, errors: null }),
    });
  });
}

async function setUp(options: Record<string, unknown>) {
  await seedShop(ws.ctx, { contacts: 120, days: 150 });
  await gqlOk(app, ws.key, DefineModelTargetDocument, { input: { kind: 'PURCHASE', horizonDays: 30 } });
  const { trainPropensityModel: job } = await gqlOk(app, ws.key, TrainPropensityModelDocument, { input: { target: 'purchase-30d', options } });
  expect(job).toMatchObject({ kind: 'models.train', status: 'QUEUED' });
  return job.id;
}

test('progress streams epoch by epoch to COMPLETED with the registered, active model; then contacts get scores', async () => {
  await worker.stop(); // subscribe before the worker picks the job up
  const jobId = await setUp({ maxEpochs: 6, patience: 6 });
  const stream = subscribe(ws.key, jobId);
  await new Promise((r) => setTimeout(r, 200));
  worker.start();
  const { frames, errors } = await stream;
  expect(errors).toBeNull();

  const phases = frames.map((f) => f.phase).filter((p, i, all) => p !== all[i - 1]);
  expect(phases).toEqual(['PREPARING', 'TRAINING', 'BASELINE', 'EVALUATING', 'COMPLETED']);
  const epochs = frames.filter((f) => f.phase === 'TRAINING' && f.epoch).map((f) => f.epoch);
  expect(epochs).toEqual([1, 2, 3, 4, 5, 6]);
  const fractions = frames.map((f) => f.fraction).slice(0, -1);
  expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  const last = frames[frames.length - 1];
  expect(last).toMatchObject({ phase: 'COMPLETED', fraction: 1, model: { version: 1, isActive: true } });

  // The job finished, and activation queued a scoring run that the worker also ran.
  const deadline = Date.now() + 15_000;
  const scoringDone = () => app.core.db.prisma.job.count({ where: { workspaceId: ws.workspaceId, kind: 'models.score', status: 'SUCCEEDED' } });
  while ((await scoringDone()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(await app.core.db.prisma.contactScore.count({ where: { workspaceId: ws.workspaceId } })).toBe(await app.core.db.prisma.contact.count({ where: { workspaceId: ws.workspaceId } }));
  const job = await app.core.db.prisma.job.findFirstOrThrow({ where: { workspaceId: ws.workspaceId, kind: 'models.train' } });
  expect(job).toMatchObject({ status: 'SUCCEEDED', progress: 1 });

  const { modelTargets } = await gqlOk(app, ws.key, ModelTargetsDocument);
  const model = modelTargets[0].models.edges[0].node;
  expect(model).toMatchObject({ version: 1, isActive: true, modelKey: 'tfjs-mlp', baselineKey: 'tfjs-logistic', trainRows: expect.any(Number) });
  expect(model.metrics.rocAuc).toBeGreaterThan(0.5);
  expect(model.baselineMetrics.reliability).toHaveLength(10);
  expect(modelTargets[0].lastScoredAt).not.toBeNull();

  // Subscribing to a finished job yields its outcome at once.
  const again = await subscribe(ws.key, jobId);
  expect(again.frames).toEqual([expect.objectContaining({ phase: 'COMPLETED', model: expect.objectContaining({ version: 1 }) })]);
});

test('cancelling a running training stops it after the current epoch; nothing is registered', async () => {
  const jobId = await setUp({ maxEpochs: 300, patience: 300 });
  let cancelled = false;
  const { frames } = await subscribe(ws.key, jobId, (f) => {
    if (!cancelled && f.phase === 'TRAINING' && (f.epoch ?? 0) >= 2) {
      cancelled = true;
      void gqlOk(app, ws.key, CancelModelTrainingDocument, { jobId });
    }
  });
  expect(frames[frames.length - 1].phase).toBe('CANCELLED');
  expect(Math.max(...frames.map((f) => f.epoch ?? 0))).toBeLessThan(300);
  const deadline = Date.now() + 5000;
  let status = '';
  while (Date.now() < deadline && (status = (await app.core.db.prisma.job.findFirstOrThrow({ where: { workspaceId: ws.workspaceId } })).status) === 'RUNNING') await new Promise((r) => setTimeout(r, 50));
  expect(status).toBe('CANCELLED');
  expect(await app.core.db.prisma.propensityModel.count({ where: { workspaceId: ws.workspaceId } })).toBe(0);
});

test('a queued training cancelled before any worker took it ends the stream at once', async () => {
  await worker.stop();
  try {
    const jobId = await setUp({});
    const stream = subscribe(ws.key, jobId);
    await new Promise((r) => setTimeout(r, 200));
    const { cancelModelTraining } = await gqlOk(app, ws.key, CancelModelTrainingDocument, { jobId });
    expect(cancelModelTraining.status).toBe('CANCELLED');
    const { frames } = await stream;
    expect(frames.map((f) => f.phase)).toEqual(['CANCELLED']);
  } finally {
    worker.start();
  }
});

test("another workspace's training job is NOT_FOUND", async () => {
  await worker.stop();
  try {
    const jobId = await setUp({});
    const other = await createTestWorkspace(app);
    const { errors } = await subscribe(other.key, jobId);
    expect(errorCodes({ errors } as never)).toEqual(['NOT_FOUND']);
  } finally {
    worker.start();
  }
});
