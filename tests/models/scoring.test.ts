// Batch scoring into contact_scores, Contact.scores with the model version, explanations,
// and the refresh schedule.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { App } from '../../api/app';
import { countStatements, createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { gqlOk } from '../support/graphql-client';
import { tfjsPropensity } from '../../plugins/tfjs-propensity';
import { upsertContacts } from '../../core/contacts/contact-upsert';
import { defineModelTarget } from '../../core/models/model-targets';
import { planTraining } from '../../core/models/training-plan';
import { runTraining } from '../../core/models/training-run';
import { scoreTarget } from '../../core/models/scoring';
import { enqueueDueScoring } from '../../core/models/scoring-job';
import { ActivatePropensityModelDocument, ContactScoreExplanationDocument, ContactScoresDocument } from '../generated/graphql';
import { seedShop } from './support/synthetic-shop';

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
  await seedShop(ws.ctx, { contacts: 150, days: 120 });
  // A contact with no behaviour at all still gets a score.
  await upsertContacts(ws.ctx, { contacts: [{ email: 'quiet@example.com' }], key: 'email', source: 'test', onInvalid: 'reject' });
  await defineModelTarget(ws.ctx, { kind: 'PURCHASE', horizonDays: 30 });
});

async function trainVersion(seed: number, activate = true) {
  const plan = await planTraining(ws.ctx, { target: 'purchase-30d', seed, activate, options: { maxEpochs: 8, patience: 3 } });
  return runTraining(ws.ctx, { plan });
}

async function scoresByContact(): Promise<Map<number, { score: number; modelId: number }>> {
  const rows = await app.core.db.prisma.contactScore.findMany({ where: { workspaceId: ws.workspaceId } });
  return new Map(rows.map((r) => [r.contactId, { score: r.score, modelId: r.modelId }]));
}

test('scores every contact with the active model, the same whatever the chunk size', async () => {
  const v1 = await trainVersion(1);
  const result = await scoreTarget(ws.ctx, { target: 'purchase-30d' });
  const contacts = await app.core.db.prisma.contact.count({ where: { workspaceId: ws.workspaceId } });
  expect(result).toMatchObject({ targetKey: 'purchase-30d', modelId: v1.modelId, version: 1, scored: contacts });
  const whole = await scoresByContact();
  expect(whole.size).toBe(contacts);
  for (const s of whole.values()) {
    expect(s.modelId).toBe(v1.modelId);
    expect(s.score).toBeGreaterThan(0);
    expect(s.score).toBeLessThan(1);
  }
  // Scores spread out: the model tells contacts apart.
  const values = [...whole.values()].map((s) => s.score);
  expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(0.2);

  const progress: number[] = [];
  await scoreTarget(ws.ctx, { target: 'purchase-30d', chunkSize: 37, onProgress: (done) => void progress.push(done) });
  // Five chunks (two in flight at a time), progress rising to every contact.
  expect(progress).toHaveLength(5);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
  expect(progress[4]).toBe(contacts);
  const chunked = await scoresByContact();
  for (const [id, s] of whole) expect(chunked.get(id)!.score).toBeCloseTo(s.score, 4);
  const target = await app.core.db.prisma.modelTarget.findFirstOrThrow({ where: { workspaceId: ws.workspaceId } });
  expect(target.lastScoredAt).not.toBeNull();
});

test('activating another version re-scores every contact with it; Contact.scores shows the version', async () => {
  await trainVersion(1);
  await scoreTarget(ws.ctx, { target: 'purchase-30d' });
  const v2 = await trainVersion(2, false);
  const activated = await gqlOk(app, ws.key, ActivatePropensityModelDocument, { id: encodeGlobalID('PropensityModel', String(v2.modelId)) });
  expect(activated.activatePropensityModel).toMatchObject({ version: 2, isActive: true });
  // Activation queues a scoring run; run it here instead of through a worker.
  expect(await app.core.db.prisma.job.count({ where: { workspaceId: ws.workspaceId, kind: 'models.score', status: 'QUEUED' } })).toBe(1);
  await scoreTarget(ws.ctx, { target: 'purchase-30d' });
  const scores = await scoresByContact();
  expect(new Set([...scores.values()].map((s) => s.modelId))).toEqual(new Set([v2.modelId]));

  const contact = await app.core.db.prisma.contact.findFirstOrThrow({ where: { workspaceId: ws.workspaceId, externalId: 'c1' } });
  const { contact: read } = await gqlOk(app, ws.key, ContactScoresDocument, { id: encodeGlobalID('Contact', String(contact.id)) });
  expect(read!.scores).toEqual([
    { target: 'purchase-30d', score: scores.get(contact.id)!.score, scoredAt: expect.any(String), modelVersion: 2, model: { id: encodeGlobalID('PropensityModel', String(v2.modelId)), version: 2 } },
  ]);
});

test('a page of contacts with their scores costs a constant number of statements', async () => {
  await trainVersion(1);
  await scoreTarget(ws.ctx, { target: 'purchase-30d' });
  const page = (n: number) => `{ contacts(first: ${n}) { edges { node { id scores { target score modelVersion model { version } } } } } }`;
  const small = (await countStatements(app, () => gqlOk(app, ws.key, page(2)))).statements;
  const large = (await countStatements(app, () => gqlOk(app, ws.key, page(40)))).statements;
  expect(large.length).toBe(small.length);
  expect(large.filter((s) => /contact_scores|propensity_models/.test(s))).toHaveLength(2);
});

test('explains a score: the features that raised and lowered it, from the active model', async () => {
  const v1 = await trainVersion(1);
  await scoreTarget(ws.ctx, { target: 'purchase-30d' });
  const contact = await app.core.db.prisma.contact.findFirstOrThrow({ where: { workspaceId: ws.workspaceId, externalId: 'c3' } });
  const stored = await app.core.db.prisma.contactScore.findFirstOrThrow({ where: { contactId: contact.id } });
  const { contact: read } = await gqlOk(app, ws.key, ContactScoreExplanationDocument, { id: encodeGlobalID('Contact', String(contact.id)), target: 'purchase-30d', top: 3 });
  const e = read!.scoreExplanation;
  expect(e).toMatchObject({ target: 'purchase-30d', modelVersion: 1, model: { id: encodeGlobalID('PropensityModel', String(v1.modelId)) } });
  expect(e.score).toBeCloseTo(stored.score, 3); // computed now; only the clock moved since scoring
  expect(e.raising.length + e.lowering.length).toBeGreaterThan(0);
  expect(e.raising.length).toBeLessThanOrEqual(3);
  expect(e.raising.every((c) => c.contribution > 0)).toBe(true);
  expect(e.lowering.every((c) => c.contribution < 0)).toBe(true);
  const strengths = e.raising.map((c) => c.contribution);
  expect(strengths).toEqual([...strengths].sort((a, b) => b - a));
  const days = [...e.raising, ...e.lowering].find((c) => c.feature === 'purchase_recency_days');
  if (days) expect(days.value).toBeGreaterThanOrEqual(0); // natural units (days), not log1p
});

test('the schedule queues scoring for targets whose scores are due, once', async () => {
  await trainVersion(1);
  const target = await app.core.db.prisma.modelTarget.findFirstOrThrow({ where: { workspaceId: ws.workspaceId } });
  const jobsFor = () => app.core.db.prisma.job.findMany({ where: { workspaceId: ws.workspaceId, kind: 'models.score', status: 'QUEUED', dedupeKey: `target:${target.id}` } });
  await enqueueDueScoring(app.core);
  await enqueueDueScoring(app.core);
  expect(await jobsFor()).toHaveLength(1); // never scored: due, and queued only once
  await app.core.db.prisma.job.deleteMany({ where: { workspaceId: ws.workspaceId } });

  await scoreTarget(ws.ctx, { target: 'purchase-30d' });
  await enqueueDueScoring(app.core);
  expect(await jobsFor()).toHaveLength(0); // just scored

  const later = { ...app.core, now: () => new Date(Date.now() + 25 * 3600_000) };
  await enqueueDueScoring(later);
  expect(await jobsFor()).toHaveLength(1); // older than scoreRefreshHours (24)
});
