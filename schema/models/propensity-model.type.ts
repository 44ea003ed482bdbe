// Trained model versions (the registry) and their evaluation metrics.
import { builder } from '../builder';
import { ws } from '../context';
import { numericId } from '../common/global-id';
import { activateModelVersion } from '../../core/models/model-registry';
import type { ModelMetrics, ReliabilityBin } from '../../core/models/metrics';

const ReliabilityBinRef = builder.objectRef<ReliabilityBin>('ReliabilityBin').implement({
  description: 'Validation contacts whose predicted probability fell in [lower, upper): is the predicted rate the observed one?',
  fields: (t) => ({
    lower: t.exposeFloat('lower'),
    upper: t.exposeFloat('upper'),
    count: t.exposeInt('count'),
    meanPredicted: t.exposeFloat('meanPredicted', { nullable: true }),
    observedRate: t.exposeFloat('observedRate', { nullable: true }),
  }),
});

export const ModelMetricsRef = builder.objectRef<ModelMetrics>('ModelMetrics').implement({
  description: 'Metrics on the validation snapshot (later in time than the training data). See docs/models.md.',
  fields: (t) => ({
    rows: t.exposeInt('rows'),
    positives: t.exposeInt('positives'),
    positiveRate: t.exposeFloat('positiveRate'),
    rocAuc: t.exposeFloat('rocAuc', { nullable: true, description: '0.5 is chance, 1 a perfect ranking.' }),
    prAuc: t.exposeFloat('prAuc', { nullable: true, description: 'Average precision; chance is positiveRate.' }),
    logLoss: t.exposeFloat('logLoss', { nullable: true }),
    brier: t.exposeFloat('brier', { nullable: true }),
    topDecileLift: t.exposeFloat('topDecileLift', { nullable: true, description: 'Positive rate of the top 10% by score over the overall rate.' }),
    reliability: t.field({ type: [ReliabilityBinRef], resolve: (m) => m.reliability }),
  }),
});

export const PropensityModelRef = builder.prismaNode('PropensityModel', {
  id: { field: 'id' },
  // Never load the weights for the API: select only what fields ask for.
  select: { id: true },
  findUnique: (id, ctx) => ({ id: Number(id), workspaceId: ws(ctx).workspaceId }),
  nullable: true,
  description: 'One trained, evaluated version of a target\'s model.',
  fields: (t) => ({
    version: t.exposeInt('version'),
    target: t.relation('target'),
    isActive: t.boolean({ select: { activeFor: { select: { id: true } } }, resolve: (m) => m.activeFor !== null }),
    modelKey: t.exposeString('modelKey', { description: 'The registered model that trained it (e.g. tfjs-mlp).' }),
    baselineKey: t.exposeString('baselineKey'),
    featureNames: t.stringList({ select: { featureNames: true }, resolve: (m) => m.featureNames as string[] }),
    metrics: t.field({ type: ModelMetricsRef, select: { metrics: true }, resolve: (m) => m.metrics as unknown as ModelMetrics }),
    baselineMetrics: t.field({ type: ModelMetricsRef, description: 'The logistic baseline trained on the same split in the same run.', select: { baselineMetrics: true }, resolve: (m) => m.baselineMetrics as unknown as ModelMetrics }),
    trainCutoff: t.expose('trainCutoff', { type: 'DateTime', description: 'Training features are from before it, training labels from after.' }),
    validationCutoff: t.expose('validationCutoff', { type: 'DateTime', description: 'Validation features are from before it, validation labels from the horizon after.' }),
    dataEnd: t.expose('dataEnd', { type: 'DateTime' }),
    horizonDays: t.exposeInt('horizonDays'),
    seed: t.exposeInt('seed'),
    trainRows: t.exposeInt('trainRows'),
    trainPositives: t.exposeInt('trainPositives'),
    validationRows: t.exposeInt('validationRows'),
    validationPositives: t.exposeInt('validationPositives'),
    details: t.field({ type: 'JSON', nullable: true, select: { details: true }, resolve: (m) => m.details ?? null }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.mutationFields((t) => ({
  activatePropensityModel: t.prismaField({
    type: 'PropensityModel',
    description: 'Makes this version the one that scores contacts for its target (one active version per target).',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      const model = await activateModelVersion(ws(ctx), numericId(String(id), 'PropensityModel', ['id']));
      return ctx.core.db.prisma.propensityModel.findUniqueOrThrow({ ...query, where: { id: model.id } });
    },
  }),
}));
