// Contact.scores (the stored score of each target, with the model version) and
// Contact.scoreExplanation (what raised or lowered a contact's score, computed now).
import { builder } from '../builder';
import { ws } from '../context';
import { explainContactScore, type FeatureContribution, type ScoreExplanation } from '../../core/models/explanations';

builder.prismaObject('ContactScore', {
  description: "A contact's propensity for a target, from the target's active model at scoring time.",
  fields: (t) => ({
    target: t.exposeString('target', { description: 'The model target key.' }),
    score: t.exposeFloat('score', { description: 'Probability from 0 to 1.' }),
    scoredAt: t.expose('scoredAt', { type: 'DateTime' }),
    model: t.relation('model'),
    modelVersion: t.int({ select: { model: { select: { version: true } } }, resolve: (s) => s.model.version }),
  }),
});

const FeatureContributionRef = builder.objectRef<FeatureContribution>('FeatureContribution').implement({
  fields: (t) => ({
    feature: t.exposeString('feature'),
    value: t.exposeFloat('value', { description: 'The feature value in natural units (days, counts, money).' }),
    contribution: t.exposeFloat('contribution', { description: 'Effect on the score in log-odds: positive raised it, negative lowered it.' }),
  }),
});

const ScoreExplanationRef = builder.objectRef<ScoreExplanation>('ScoreExplanation').implement({
  description: 'Why a contact scores what it does, computed now with the active model.',
  fields: (t) => ({
    target: t.exposeString('target'),
    score: t.exposeFloat('score', { description: 'The score as of now (the stored one may be older).' }),
    modelVersion: t.exposeInt('version'),
    model: t.prismaField({
      type: 'PropensityModel',
      resolve: (query, e, _a, ctx) => ctx.core.db.prisma.propensityModel.findFirstOrThrow({ ...query, where: { id: e.modelId, workspaceId: ws(ctx).workspaceId } }),
    }),
    raising: t.field({ type: [FeatureContributionRef], resolve: (e) => e.raising }),
    lowering: t.field({ type: [FeatureContributionRef], resolve: (e) => e.lowering }),
  }),
});

builder.prismaObjectFields('Contact', (t) => ({
  scores: t.relation('scores', { description: 'Propensity scores, one per target with an active model.', query: { orderBy: { target: 'asc' } } }),
  scoreExplanation: t.field({
    type: ScoreExplanationRef,
    description: "The features that raised or lowered this contact's score the most (FAILED_PRECONDITION when the target has no active model).",
    args: { target: t.arg.string({ required: true }), top: t.arg.int({ defaultValue: 5 }) },
    complexity: 20,
    select: { id: true },
    resolve: (c, { target, top }, ctx) => explainContactScore(ws(ctx), { contactId: c.id, target, top: top ?? 5 }),
  }),
}));
