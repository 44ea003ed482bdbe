// A training run end to end in core: time-split datasets, model and logistic baseline,
// evaluation, registry; deterministic for a seed; cancellable with nothing registered.
import type { App } from '../../api/app';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { tfjsPropensity } from '../../plugins/tfjs-propensity';
import { defineModelTarget } from '../../core/models/model-targets';
import { planTraining } from '../../core/models/training-plan';
import { runTraining, type TrainingReport } from '../../core/models/training-run';
import { seedShop } from './support/synthetic-shop';

const DAY = 86_400_000;
let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp({ plugins: [tfjsPropensity({})] });
});
afterAll(async () => {
  await app.close();
});
beforeEach(async () => {
  ws = await createTestWorkspace(app);
  await seedShop(ws.ctx, { contacts: 250, days: 150 });
  await defineModelTarget(ws.ctx, { kind: 'PURCHASE', horizonDays: 30 });
});

const fast = { maxEpochs: 12, patience: 4 };

test('registers an evaluated version with its baseline, windows and weights, and activates it', async () => {
  const plan = await planTraining(ws.ctx, { target: 'purchase-30d', options: fast });
  // Training is one horizon before validation, and validation one horizon before the data ends.
  expect(new Date(plan.validationCutoff).getTime() - new Date(plan.trainCutoff).getTime()).toBe(30 * DAY);
  expect(new Date(plan.dataEnd).getTime() - new Date(plan.validationCutoff).getTime()).toBe(30 * DAY);

  const reports: TrainingReport[] = [];
  const result = await runTraining(ws.ctx, { plan, report: (r) => reports.push(r) });
  expect(result.version).toBe(1);
  // Past purchases predict future ones in this shop: both models rank far better than chance.
  expect(result.metrics.rocAuc).toBeGreaterThan(0.65);
  expect(result.baselineMetrics.rocAuc).toBeGreaterThan(0.65);
  expect(result.metrics.rows).toBe(plan.counts.validation.rows);
  expect(result.metrics.reliability).toHaveLength(10);

  const phases = [...new Set(reports.map((r) => r.phase))];
  expect(phases).toEqual(['PREPARING', 'TRAINING', 'BASELINE', 'EVALUATING']);
  const epochs = reports.filter((r) => r.phase === 'TRAINING' && r.epoch);
  expect(epochs[0]).toMatchObject({ epoch: 1, totalEpochs: 12 });
  expect(epochs.every((r) => Number.isFinite(r.loss) && Number.isFinite(r.validationLoss))).toBe(true);

  const row = await app.core.db.prisma.propensityModel.findUniqueOrThrow({ where: { id: result.modelId }, include: { target: true } });
  expect(row).toMatchObject({ version: 1, modelKey: 'tfjs-mlp', baselineKey: 'tfjs-logistic', horizonDays: 30, seed: 42, trainRows: plan.counts.train.rows });
  expect(row.target.activeModelId).toBe(row.id);
  expect(row.artifact.length).toBeGreaterThan(1000);
  expect((row.featureNames as string[]).slice(0, 3)).toEqual(['recency_days', 'tenure_days', 'has_activity']);
  expect(row.details).toMatchObject({ architecture: 'mlp', backend: expect.stringMatching(/^(wasm|cpu|tensorflow)$/) });

  // A second run is version 2; without `activate` the active version stays.
  const second = await runTraining(ws.ctx, { plan: { ...plan, activate: false } });
  expect(second.version).toBe(2);
  const target = await app.core.db.prisma.modelTarget.findFirstOrThrow({ where: { workspaceId: ws.workspaceId } });
  expect(target.activeModelId).toBe(result.modelId);
});

test('the same seed gives the same weights and metrics; another seed does not', async () => {
  const plan = await planTraining(ws.ctx, { target: 'purchase-30d', seed: 7, options: fast });
  const a = await runTraining(ws.ctx, { plan });
  const b = await runTraining(ws.ctx, { plan });
  const c = await runTraining(ws.ctx, { plan: { ...plan, seed: 8 } });
  const rows = await app.core.db.prisma.propensityModel.findMany({ where: { id: { in: [a.modelId, b.modelId, c.modelId] } }, orderBy: { id: 'asc' } });
  expect(Buffer.compare(rows[0].artifact, rows[1].artifact)).toBe(0);
  expect(b.metrics).toEqual(a.metrics);
  expect(b.baselineMetrics).toEqual(a.baselineMetrics);
  expect(Buffer.compare(rows[0].artifact, rows[2].artifact)).not.toBe(0);
});

test('cancelling during training stops it after the epoch and registers nothing', async () => {
  const plan = await planTraining(ws.ctx, { target: 'purchase-30d', options: { maxEpochs: 200, patience: 200 } });
  const abort = new AbortController();
  let lastEpoch = 0;
  const run = runTraining(ws.ctx, {
    plan,
    signal: abort.signal,
    report: (r) => {
      if (r.phase === 'TRAINING' && r.epoch) lastEpoch = r.epoch;
      if (r.epoch === 3) abort.abort(new Error('cancelled'));
    },
  });
  await expect(run).rejects.toThrow('cancelled');
  expect(lastEpoch).toBe(3);
  expect(await app.core.db.prisma.propensityModel.count({ where: { workspaceId: ws.workspaceId } })).toBe(0);
});
