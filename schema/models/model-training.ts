// Training and scoring from the API: start a training job (after checking the data), follow
// it over `modelTrainingProgress`, cancel it, and queue a scoring run.
import { builder } from '../builder';
import { ws, type GraphQLContext } from '../context';
import { numericId } from '../common/global-id';
import { JobRef } from '../jobs/job.type';
import { NotFoundError } from '../../core/errors';
import type { TrainingPhase, TrainingProgressEvent } from '../../core/models/model-events';
import { cancelModelTraining, startModelTraining } from '../../core/models/training-job';
import { startScoring } from '../../core/models/scoring-job';
import { TRAIN_JOB_KIND } from '../../core/models/job-kinds';
import { inInput } from './in-input';

const PHASES = ['PREPARING', 'TRAINING', 'BASELINE', 'EVALUATING', 'RETRYING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const satisfies readonly TrainingPhase[];
const TERMINAL: TrainingPhase[] = ['COMPLETED', 'FAILED', 'CANCELLED'];
export const ModelTrainingPhaseEnum = builder.enumType('ModelTrainingPhase', { values: PHASES });

const TrainPropensityModelInput = builder.inputType('TrainPropensityModelInput', {
  fields: (t) => ({
    target: t.string({ required: true, description: 'The model target key.' }),
    model: t.string({ description: 'Registered model to train (default tfjs-mlp).' }),
    baseline: t.string({ description: 'Baseline trained on the same split (default tfjs-logistic).' }),
    seed: t.int({ description: 'Same seed and data, same model (default 42).' }),
    validationCutoff: t.field({ type: 'DateTime', description: 'Default: the latest cutoff whose horizon fits in the data. Training uses the cutoff one horizon earlier.' }),
    attributes: t.stringList({ description: 'Contact attributes to use as features (their current values: beware of leakage, see docs/models.md).' }),
    activate: t.boolean({ description: 'Make the new version active when it is registered (default true).' }),
    options: t.field({ type: 'JSON', description: 'Model options, e.g. { "maxEpochs": 40, "hidden": [32, 16] }.' }),
    minClassExamples: t.int({ description: 'Fewest positives and negatives each snapshot needs (default 20).' }),
  }),
});

const ModelTrainingProgressRef = builder.objectRef<TrainingProgressEvent>('ModelTrainingProgress').implement({
  description: 'A step of a training job: a phase began, an epoch ended, or it finished.',
  fields: (t) => ({
    phase: t.field({ type: ModelTrainingPhaseEnum, resolve: (e) => e.phase }),
    fraction: t.exposeFloat('fraction', { description: 'Overall progress from 0 to 1.' }),
    epoch: t.exposeInt('epoch', { nullable: true }),
    totalEpochs: t.exposeInt('totalEpochs', { nullable: true, description: 'The epoch limit; early stopping usually ends sooner.' }),
    loss: t.exposeFloat('loss', { nullable: true, description: 'Training loss of the epoch (class-weighted).' }),
    validationLoss: t.exposeFloat('validationLoss', { nullable: true, description: 'Early-stopping log loss (held-out training rows).' }),
    message: t.exposeString('message', { nullable: true }),
    // Re-read through the caller's workspace: the event carries ids only.
    job: t.field({ type: JobRef, resolve: (e, _a, ctx) => ctx.core.db.prisma.job.findFirstOrThrow({ where: { id: BigInt(e.jobId), workspaceId: ws(ctx).workspaceId } }) }),
    model: t.prismaField({
      type: 'PropensityModel',
      nullable: true,
      description: 'The registered version, once COMPLETED.',
      resolve: (query, e, _a, ctx) => (e.modelId ? ctx.core.db.prisma.propensityModel.findFirst({ ...query, where: { id: e.modelId, workspaceId: ws(ctx).workspaceId } }) : null),
    }),
  }),
});

builder.mutationFields((t) => ({
  trainPropensityModel: t.field({
    type: JobRef,
    description: 'Checks the data (the target happens, the horizon fits, enough positives and negatives) and queues a training job. Follow it with modelTrainingProgress.',
    args: { input: t.arg({ type: TrainPropensityModelInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      inInput(() =>
        startModelTraining(ws(ctx), {
          ...input,
          validationCutoff: input.validationCutoff ?? null,
          options: (input.options ?? null) as Record<string, unknown> | null,
        }),
      ),
  }),
  cancelModelTraining: t.field({
    type: JobRef,
    description: 'Stops a training job: a queued one at once, a running one after its current epoch. Nothing is registered.',
    args: { jobId: t.arg.id({ required: true }) },
    resolve: async (_root, { jobId }, ctx) => {
      const id = BigInt(numericId(String(jobId), 'Job', ['jobId']));
      await cancelModelTraining(ws(ctx), id);
      return ctx.core.db.prisma.job.findFirstOrThrow({ where: { id, workspaceId: ws(ctx).workspaceId } });
    },
  }),
  scoreModelTarget: t.field({
    type: JobRef,
    description: "Queues a scoring run of every contact with the target's active model (FAILED_PRECONDITION without one).",
    args: { target: t.arg.string({ required: true }) },
    resolve: (_root, { target }, ctx) => inInput(() => startScoring(ws(ctx), { target }), []),
  }),
}));

builder.subscriptionFields((t) => ({
  modelTrainingProgress: t.field({
    type: ModelTrainingProgressRef,
    description: 'Progress of a training job, epoch by epoch, ending with COMPLETED, FAILED or CANCELLED.',
    args: { jobId: t.arg.id({ required: true }) },
    subscribe: (_root, { jobId }, ctx) => progressStream(ctx, numericId(String(jobId), 'Job', ['jobId'])),
    resolve: (e) => e,
  }),
}));

async function* progressStream(ctx: GraphQLContext, jobId: number): AsyncGenerator<TrainingProgressEvent> {
  const workspaceId = ws(ctx).workspaceId;
  // Start listening before reading the job, so an event between the two is not lost.
  const events = ctx.pubsub.subscribe('model.training.progress')[Symbol.asyncIterator]();
  let next = events.next();
  try {
    const job = await ctx.core.db.prisma.job.findFirst({ where: { id: BigInt(jobId), workspaceId, kind: TRAIN_JOB_KIND } });
    if (!job) throw new NotFoundError('training job', jobId);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status)) {
      const result = job.result as { modelId?: number } | null;
      const phase: TrainingPhase = job.status === 'SUCCEEDED' ? 'COMPLETED' : job.status === 'FAILED' ? 'FAILED' : 'CANCELLED';
      yield { workspaceId, jobId: String(jobId), targetKey: '', phase, fraction: job.progress, epoch: null, totalEpochs: null, loss: null, validationLoss: null, modelId: result?.modelId ?? null, message: job.error };
      return;
    }
    for (;;) {
      const { value, done } = await next;
      if (done) return;
      next = events.next();
      if (value.workspaceId !== workspaceId || value.jobId !== String(jobId)) continue;
      yield value;
      if (TERMINAL.includes(value.phase)) return;
    }
  } finally {
    await events.return?.();
  }
}
