// Plans a training run and checks the data before anything is queued: the target happens at
// all, the horizon fits in the data (twice: a training window and a later validation window),
// and both snapshots have enough positives and negatives. A failure is a clear error and
// nothing is registered.
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { FailedPreconditionError, NotFoundError, ValidationError, fromZodIssues } from '../errors';
import type { PropensityModelDefinition } from '../ports/propensity-model';
import { hasMessageEvents, targetSignal } from './activity-sources';
import { buildFeatureSpec, type FeatureSpec } from './feature-spec';
import { getModelTarget, type ModelTargetRecord } from './model-targets';
import { propertyFiltersSql } from './property-filters';
import { countSnapshot } from './training-population';

const DAY_MS = 86_400_000;
export const DEFAULT_MODEL_KEY = 'tfjs-mlp';
export const DEFAULT_BASELINE_KEY = 'tfjs-logistic';
export const DEFAULT_MIN_CLASS_EXAMPLES = 20;

export interface TrainingRequest {
  target: string;
  /** Registered propensity model to train (default tfjs-mlp) and the baseline trained beside it. */
  model?: string | null;
  baseline?: string | null;
  seed?: number | null;
  /** Features as of this time for validation (labels after it); training is one horizon earlier. Default: the latest that fits the data. */
  validationCutoff?: Date | null;
  /** Attribute keys to use as features (current values: see feature-spec.ts). */
  attributes?: string[] | null;
  /** Make the new version the active one (default true). */
  activate?: boolean | null;
  /** Passed to the model (validated by its options schema). */
  options?: Record<string, unknown> | null;
  minClassExamples?: number | null;
}

export interface SnapshotCounts {
  rows: number;
  positives: number;
}

/** Everything the training job needs, serialisable into the job payload. */
export interface TrainingPlan {
  targetId: number;
  targetKey: string;
  modelKey: string;
  baselineKey: string;
  seed: number;
  spec: FeatureSpec;
  trainCutoff: string;
  validationCutoff: string;
  dataEnd: string;
  horizonDays: number;
  activate: boolean;
  options: Record<string, unknown>;
  minClassExamples: number;
  counts: { train: SnapshotCounts; validation: SnapshotCounts };
}

/** Validates a request against the data; throws ValidationError or FailedPreconditionError. */
export async function planTraining(ctx: WorkspaceContext, req: TrainingRequest): Promise<TrainingPlan> {
  // A missing target is a bad argument of this call, not a missing resource being addressed.
  const target = await getModelTarget(ctx, req.target).catch((err) => {
    throw err instanceof NotFoundError ? ValidationError.at(['target'], `no model target "${req.target}"`) : err;
  });
  const modelKey = req.model ?? DEFAULT_MODEL_KEY;
  const baselineKey = req.baseline ?? DEFAULT_BASELINE_KEY;
  const model = ctx.extensions.models.require(modelKey, ['model']);
  const baseline = ctx.extensions.models.require(baselineKey, ['baseline']);
  const options = checkOptions(model, req.options ?? {}, ['options']);
  checkOptions(baseline, {}, ['baseline']);
  const seed = req.seed ?? 42;
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 2 ** 31 - 1) throw ValidationError.at(['seed'], 'a whole number from 0 to 2147483647');
  const minClassExamples = req.minClassExamples ?? DEFAULT_MIN_CLASS_EXAMPLES;
  if (!Number.isInteger(minClassExamples) || minClassExamples < 1) throw ValidationError.at(['minClassExamples'], 'a positive whole number');
  const spec = await buildFeatureSpec(ctx, { target, attributes: req.attributes });

  await checkTargetSeen(ctx, target);
  const { trainCutoff, validationCutoff, dataEnd } = await chooseCutoffs(ctx, target, spec, req.validationCutoff ?? null);
  const snap = (cutoff: Date) => countSnapshot(ctx, { target, cutoff, lookbackDays: spec.lookbackDays, engagement: spec.engagement });
  const counts = { train: await snap(trainCutoff), validation: await snap(validationCutoff) };
  checkClassBalance(counts, minClassExamples, { trainCutoff, validationCutoff, horizonDays: target.horizonDays });

  return {
    targetId: target.id,
    targetKey: target.key,
    modelKey,
    baselineKey,
    seed,
    spec,
    trainCutoff: trainCutoff.toISOString(),
    validationCutoff: validationCutoff.toISOString(),
    dataEnd: dataEnd.toISOString(),
    horizonDays: target.horizonDays,
    activate: req.activate ?? true,
    options,
    minClassExamples,
    counts,
  };
}

function checkOptions(model: PropensityModelDefinition, options: Record<string, unknown>, path: (string | number)[]): Record<string, unknown> {
  if (!model.options) return options;
  const parsed = model.options.safeParse(options);
  if (!parsed.success) throw new ValidationError(`invalid options for model "${model.key}"`, fromZodIssues(parsed.error.issues, path));
  return parsed.data as Record<string, unknown>;
}

async function checkTargetSeen(ctx: WorkspaceContext, target: ModelTargetRecord): Promise<void> {
  const signal = targetSignal(target);
  if (!signal) return;
  if (signal.table === 'message_events' && !(await hasMessageEvents(ctx))) {
    throw new FailedPreconditionError(`target "${target.key}": email ${signal.type}s are read from message_events, which this database does not have (is the campaigns module installed?)`);
  }
  const f = propertyFiltersSql(signal.filters, 'e');
  const [[row]] = await ctx.db.sql.query<RowDataPacket[]>(
    `SELECT EXISTS (SELECT 1 FROM ${signal.table} e WHERE e.workspace_id = ? AND e.type = ?) AS seen,
            EXISTS (SELECT 1 FROM ${signal.table} e WHERE e.workspace_id = ? AND e.type = ? AND ${f.sql}) AS matched`,
    [ctx.workspaceId, signal.type, ctx.workspaceId, signal.type, ...f.params],
  );
  if (!Number(row.seen)) {
    throw new FailedPreconditionError(`target "${target.key}": no "${signal.type}" event has ever been tracked in this workspace, so there is nothing to learn`, [{ path: ['target'], message: `event "${signal.type}" never seen` }]);
  }
  if (!Number(row.matched)) {
    throw new FailedPreconditionError(`target "${target.key}": "${signal.type}" events exist but none matches the property filters`, [{ path: ['target'], message: 'no event matches the filters' }]);
  }
}

/**
 * Validation features are as of `validationCutoff` with labels in the following horizon;
 * training is one horizon earlier, so its labels end exactly where validation begins and the
 * split is by time, never by contact.
 */
async function chooseCutoffs(ctx: WorkspaceContext, target: ModelTargetRecord, spec: FeatureSpec, requested: Date | null) {
  const [[range]] = await ctx.db.sql.query<RowDataPacket[]>(
    `SELECT MIN(occurred_at) AS first_at, MAX(occurred_at) AS last_at FROM events WHERE workspace_id = ?`,
    [ctx.workspaceId],
  );
  let first: Date | null = range.first_at;
  let last: Date | null = range.last_at;
  if (spec.engagement) {
    const [[m]] = await ctx.db.sql.query<RowDataPacket[]>('SELECT MIN(occurred_at) AS first_at, MAX(occurred_at) AS last_at FROM message_events WHERE workspace_id = ?', [ctx.workspaceId]);
    if (m.first_at && (!first || m.first_at < first)) first = m.first_at;
    if (m.last_at && (!last || m.last_at > last)) last = m.last_at;
  }
  if (!first || !last) throw new FailedPreconditionError('no events have been tracked in this workspace; a model needs behaviour to learn from');
  const horizon = target.horizonDays * DAY_MS;
  // Labels are complete only up to the latest event we have; now() caps a clock-skewed event.
  const dataEnd = new Date(Math.min(last.getTime() + 1, ctx.now().getTime()));
  const validationCutoff = requested ?? new Date(dataEnd.getTime() - horizon);
  const fmt = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');
  if (validationCutoff.getTime() + horizon > dataEnd.getTime()) {
    throw new FailedPreconditionError(
      `horizon beyond the data: validation labels need events up to ${fmt(new Date(validationCutoff.getTime() + horizon))} (cutoff + ${target.horizonDays} days), but the latest event is at ${fmt(last)}`,
      [{ path: requested ? ['validationCutoff'] : ['target'], message: 'horizon extends past the latest event' }],
    );
  }
  const trainCutoff = new Date(validationCutoff.getTime() - horizon);
  if (trainCutoff.getTime() <= first.getTime()) {
    const spanDays = Math.floor((dataEnd.getTime() - first.getTime()) / DAY_MS);
    throw new FailedPreconditionError(
      `horizon beyond the data: a ${target.horizonDays}-day horizon needs history before ${fmt(trainCutoff)} plus two ${target.horizonDays}-day label windows (training, then validation), but the events span only ${spanDays} days from ${fmt(first)}`,
      [{ path: ['target'], message: 'not enough history for two horizons' }],
    );
  }
  return { trainCutoff, validationCutoff, dataEnd };
}

/** Throws unless each snapshot has at least `min` positives and `min` negatives. */
export function checkClassBalance(counts: TrainingPlan['counts'], min: number, ctxInfo: { trainCutoff: Date; validationCutoff: Date; horizonDays: number }): void {
  const problems: string[] = [];
  for (const [name, c, cutoff] of [['training', counts.train, ctxInfo.trainCutoff], ['validation', counts.validation, ctxInfo.validationCutoff]] as const) {
    const negatives = c.rows - c.positives;
    if (c.positives < min || negatives < min) {
      problems.push(`the ${name} snapshot (cutoff ${cutoff.toISOString().slice(0, 10)}, ${ctxInfo.horizonDays}-day horizon) has ${c.positives} positives and ${negatives} negatives`);
    }
  }
  if (problems.length) {
    throw new FailedPreconditionError(`too few examples to train and evaluate: ${problems.join('; ')}; each needs at least ${min} of both`, [{ path: ['target'], message: 'too few positive or negative examples' }]);
  }
}
