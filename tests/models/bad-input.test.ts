// Bad training input fails the mutation with a clear error before anything is queued or
// registered; scoring without an active model is a clear error too.
import type { App } from '../../api/app';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { errorCodes, gql, gqlOk } from '../support/graphql-client';
import { tfjsPropensity } from '../../plugins/tfjs-propensity';
import { trackEvents } from '../../core/events/track-events';
import { scoreTarget } from '../../core/models/scoring';
import { ContactScoreExplanationDocument, DefineModelTargetDocument, ScoreModelTargetDocument, TrainPropensityModelDocument } from '../generated/graphql';
import { seedShop } from './support/synthetic-shop';
import { encodeGlobalID } from '@pothos/plugin-relay';

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
});

async function train(input: Parameters<typeof gql>[3] & object) {
  const res = await gql(app, ws.key, TrainPropensityModelDocument, { input } as never);
  // Whatever the error, nothing was queued and nothing registered.
  expect(await app.core.db.prisma.job.count({ where: { workspaceId: ws.workspaceId } })).toBe(0);
  expect(await app.core.db.prisma.propensityModel.count({ where: { workspaceId: ws.workspaceId } })).toBe(0);
  return res;
}

const define = (input: object) => gqlOk(app, ws.key, DefineModelTargetDocument, { input } as never);

test('a target event that was never tracked', async () => {
  await seedShop(ws.ctx, { contacts: 60, days: 120 });
  await define({ key: 'upgrade-30d', kind: 'EVENT', eventType: 'upgrade', horizonDays: 30 });
  const res = await train({ target: 'upgrade-30d' });
  expect(errorCodes(res)).toEqual(['FAILED_PRECONDITION']);
  expect(res.errors![0].message).toMatch(/no "upgrade" event has ever been tracked/);
  expect(res.errors![0].extensions!.issues).toEqual([{ path: ['input', 'target'], message: 'event "upgrade" never seen' }]);

  await define({ key: 'socks', kind: 'EVENT', eventType: 'purchase', horizonDays: 30, propertyFilters: [{ property: 'category', op: 'EQ', value: 'socks' }] });
  const filtered = await train({ target: 'socks' });
  expect(filtered.errors![0].message).toMatch(/none matches the property filters/);
});

test('a horizon beyond the data', async () => {
  await seedShop(ws.ctx, { contacts: 60, days: 120 });
  await define({ kind: 'PURCHASE', horizonDays: 90 });
  const res = await train({ target: 'purchase-90d' });
  expect(errorCodes(res)).toEqual(['FAILED_PRECONDITION']);
  expect(res.errors![0].message).toMatch(/horizon beyond the data: a 90-day horizon needs history before .* but the events span only 1[12]\d days/);

  await define({ kind: 'PURCHASE', horizonDays: 30 });
  const late = await train({ target: 'purchase-30d', validationCutoff: new Date(Date.now() - 10 * 86_400_000).toISOString() });
  expect(errorCodes(late)).toEqual(['FAILED_PRECONDITION']);
  expect(late.errors![0].message).toMatch(/horizon beyond the data: validation labels need events up to .* but the latest event is at/);
  expect(late.errors![0].extensions!.issues![0].path).toEqual(['input', 'validationCutoff']);
});

test('too few positives, too few negatives', async () => {
  await seedShop(ws.ctx, { contacts: 80, days: 120, purchaseScale: 0.02 });
  await define({ kind: 'PURCHASE', horizonDays: 30 });
  const res = await train({ target: 'purchase-30d' });
  expect(errorCodes(res)).toEqual(['FAILED_PRECONDITION']);
  expect(res.errors![0].message).toMatch(/too few examples to train and evaluate: the training snapshot .* has \d+ positives and \d+ negatives.*each needs at least 20 of both/);

  const busy = await createTestWorkspace(app);
  ws = busy;
  await seedShop(ws.ctx, { contacts: 60, days: 120, purchaseScale: 40 });
  await define({ kind: 'PURCHASE', horizonDays: 30 });
  const all = await train({ target: 'purchase-30d', minClassExamples: 5 });
  expect(all.errors![0].message).toMatch(/has \d+ positives and [0-4] negatives/);
});

test('no events at all, an unknown target, model or option', async () => {
  await define({ kind: 'CHURN', horizonDays: 30 });
  const empty = await train({ target: 'churn-30d' });
  expect(empty.errors![0].message).toMatch(/no events have been tracked/);

  const unknown = await train({ target: 'nope' });
  expect(errorCodes(unknown)).toEqual(['BAD_USER_INPUT']);
  expect(unknown.errors![0].extensions!.issues).toEqual([{ path: ['input', 'target'], message: 'no model target "nope"' }]);

  const model = await train({ target: 'churn-30d', model: 'xgboost' });
  expect(model.errors![0].extensions!.issues![0]).toEqual({ path: ['input', 'model'], message: expect.stringMatching(/unknown propensity model "xgboost" \(registered: .*tfjs-mlp/) });

  const options = await train({ target: 'churn-30d', options: { maxEpochs: 0, dropout: 0.5 } });
  expect(errorCodes(options)).toEqual(['BAD_USER_INPUT']);
  expect(options.errors![0].extensions!.issues!.map((i) => i.path)).toEqual(expect.arrayContaining([['input', 'options', 'maxEpochs']]));
});

test('scoring with no active model is a clear error, and writes nothing', async () => {
  await trackEvents(ws.ctx, { events: [{ type: 'purchase', externalId: 'a', value: 5 }], source: 'test' });
  await define({ kind: 'PURCHASE', horizonDays: 30 });
  const res = await gql(app, ws.key, ScoreModelTargetDocument, { target: 'purchase-30d' });
  expect(errorCodes(res)).toEqual(['FAILED_PRECONDITION']);
  expect(res.errors![0].message).toMatch(/target "purchase-30d" has no active model: train one/);
  await expect(scoreTarget(ws.ctx, { target: 'purchase-30d' })).rejects.toThrow(/has no active model/);

  const contact = await app.core.db.prisma.contact.findFirstOrThrow({ where: { workspaceId: ws.workspaceId } });
  const explained = await gql(app, ws.key, ContactScoreExplanationDocument, { id: encodeGlobalID('Contact', String(contact.id)), target: 'purchase-30d' });
  expect(errorCodes(explained)).toEqual(['FAILED_PRECONDITION']);
  expect(await app.core.db.prisma.contactScore.count({ where: { workspaceId: ws.workspaceId } })).toBe(0);
});

test('target definitions are validated', async () => {
  const res = await gql(app, ws.key, DefineModelTargetDocument, { input: { key: 'Bad Key', kind: 'EVENT', horizonDays: 0, propertyFilters: [{ property: 'a b', op: 'GT', value: 'x' }] } });
  expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  expect(res.errors![0].extensions!.issues!.map((i) => i.path.join('.')).sort()).toEqual(
    ['input.eventType', 'input.horizonDays', 'input.key', 'input.propertyFilters.0.property'].sort(),
  );
  await define({ kind: 'PURCHASE', horizonDays: 30 });
  const dup = await gql(app, ws.key, DefineModelTargetDocument, { input: { kind: 'PURCHASE', horizonDays: 30 } });
  expect(errorCodes(dup)).toEqual(['CONFLICT']);
});
