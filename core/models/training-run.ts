// One training run: build the time-split datasets, train the model and the logistic baseline
// on the same rows with the same seed, evaluate both on the later validation snapshot, and
// register the version. Nothing is written until everything above has succeeded.
import type { WorkspaceContext } from '../context';
import { FailedPreconditionError } from '../errors';
import type { PropensityModelDefinition, TrainProgress } from '../ports/propensity-model';
import { buildDataset, selectRows, stratifiedSplit, type Dataset } from './dataset';
import { featureNames } from './feature-spec';
import { evaluate, type ModelMetrics } from './metrics';
import type { TrainingPhase } from './model-events';
import { registerModelVersion } from './model-registry';
import { getModelTargetById } from './model-targets';
import { checkClassBalance, type TrainingPlan } from './training-plan';

/** Share of the training snapshot held out for early stopping (never used for the reported metrics). */
const EARLY_STOP_HOLDOUT = 0.15;

export interface TrainingReport {
  phase: TrainingPhase;
  fraction: number;
  epoch?: number;
  totalEpochs?: number;
  loss?: number;
  validationLoss?: number;
  message?: string;
}

export interface TrainingResult {
  modelId: number;
  version: number;
  activated: boolean;
  metrics: ModelMetrics;
  baselineMetrics: ModelMetrics;
  epochs: { model: number | null; baseline: number | null };
}

/** Runs a planned training; throws (registering nothing) on cancellation or failure. */
export async function runTraining(
  ctx: WorkspaceContext,
  args: {
    plan: TrainingPlan;
    jobId?: bigint | null;
    signal?: AbortSignal;
    report?: (r: TrainingReport) => void;
    /** Awaited just before registering: the job renews its lease and learns of a cancellation here. */
    checkpoint?: () => Promise<void>;
  },
): Promise<TrainingResult> {
  const { plan, signal } = args;
  const report = args.report ?? (() => {});
  const model = requireModel(ctx, plan.modelKey);
  const baseline = requireModel(ctx, plan.baselineKey);
  const target = await getModelTargetById(ctx, plan.targetId);
  const trainCutoff = new Date(plan.trainCutoff);
  const validationCutoff = new Date(plan.validationCutoff);

  report({ phase: 'PREPARING', fraction: 0.01, message: 'building the training snapshot' });
  const train = await buildDataset(ctx, { target, spec: plan.spec, cutoff: trainCutoff, onProgress: (d, t) => report({ phase: 'PREPARING', fraction: 0.01 + 0.04 * (d / Math.max(1, t)) }) });
  signal?.throwIfAborted();
  report({ phase: 'PREPARING', fraction: 0.05, message: 'building the validation snapshot' });
  const validation = await buildDataset(ctx, { target, spec: plan.spec, cutoff: validationCutoff, onProgress: (d, t) => report({ phase: 'PREPARING', fraction: 0.05 + 0.05 * (d / Math.max(1, t)) }) });
  signal?.throwIfAborted();
  // The data may have changed since the plan was checked; check again on what we will use.
  checkClassBalance({ train: counts(train), validation: counts(validation) }, plan.minClassExamples, { trainCutoff, validationCutoff, horizonDays: plan.horizonDays });

  const split = stratifiedSplit(train.labels, EARLY_STOP_HOLDOUT, plan.seed);
  const fit = selectRows(train.features, train.labels, split.fit);
  const stop = selectRows(train.features, train.labels, split.stop);

  const progress = (phase: TrainingPhase, from: number, span: number) => (p: TrainProgress) =>
    report({ phase, fraction: from + span * (p.epoch / Math.max(1, p.totalEpochs)), epoch: p.epoch, totalEpochs: p.totalEpochs, loss: p.loss, validationLoss: p.validationLoss });
  report({ phase: 'TRAINING', fraction: 0.1, message: `training ${plan.modelKey}` });
  const trained = await model.train({ train: fit, validation: stop, seed: plan.seed, options: plan.options, signal, onProgress: progress('TRAINING', 0.1, 0.6) });
  signal?.throwIfAborted();
  report({ phase: 'BASELINE', fraction: 0.7, message: `training the ${plan.baselineKey} baseline` });
  const trainedBaseline = await baseline.train({ train: fit, validation: stop, seed: plan.seed, options: {}, signal, onProgress: progress('BASELINE', 0.7, 0.2) });
  signal?.throwIfAborted();

  report({ phase: 'EVALUATING', fraction: 0.9, message: 'scoring the validation snapshot' });
  const metrics = evaluate(await model.predict({ artifact: trained.artifact, features: validation.features }), validation.labels);
  const baselineMetrics = evaluate(await baseline.predict({ artifact: trainedBaseline.artifact, features: validation.features }), validation.labels);
  await args.checkpoint?.();
  signal?.throwIfAborted();

  const registered = await registerModelVersion(ctx, {
    target,
    modelKey: plan.modelKey,
    baselineKey: plan.baselineKey,
    featureNames: featureNames(plan.spec),
    featureSpec: plan.spec,
    metrics,
    baselineMetrics,
    trainCutoff,
    validationCutoff,
    dataEnd: new Date(plan.dataEnd),
    seed: plan.seed,
    train: counts(train),
    validation: counts(validation),
    artifact: trained.artifact,
    details: { ...trained.details, baseline: trainedBaseline.details ?? {}, earlyStopRows: stop.labels.length, fitRows: fit.labels.length },
    jobId: args.jobId ?? null,
    activate: plan.activate,
  });
  return {
    modelId: registered.id,
    version: registered.version,
    activated: plan.activate,
    metrics,
    baselineMetrics,
    epochs: { model: epochsOf(trained.details), baseline: epochsOf(trainedBaseline.details) },
  };
}

function counts(d: Dataset) {
  return { rows: d.labels.length, positives: d.positives };
}

function epochsOf(details: Record<string, unknown> | undefined): number | null {
  return typeof details?.epochs === 'number' ? details.epochs : null;
}

function requireModel(ctx: WorkspaceContext, key: string): PropensityModelDefinition {
  const m = ctx.extensions.models.get(key);
  if (!m) throw new FailedPreconditionError(`propensity model "${key}" is not registered in this process (is its plugin in personae.config.ts?)`);
  return m;
}
