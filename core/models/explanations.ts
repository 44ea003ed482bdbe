// Per-contact explanation: which features raised or lowered a contact's score the most,
// computed now with the active model (the plugin decides how to attribute, see the port).
import type { WorkspaceContext } from '../context';
import { FailedPreconditionError, NotFoundError } from '../errors';
import { displayValue } from './feature-spec';
import { getActiveModel } from './model-registry';
import { getModelTarget } from './model-targets';
import { modelFor, scoreContacts } from './scoring';

export interface FeatureContribution {
  feature: string;
  /** The feature's value in natural units (days, counts, money), as the model saw it. */
  value: number;
  /** Effect on the score in log-odds: > 0 raised it, < 0 lowered it. */
  contribution: number;
}

export interface ScoreExplanation {
  target: string;
  modelId: number;
  version: number;
  score: number;
  /** The features that raised the score most, strongest first. */
  raising: FeatureContribution[];
  /** The features that lowered the score most, strongest first. */
  lowering: FeatureContribution[];
}

/** Explains a contact's current score for `target` (computed fresh, as of now). */
export async function explainContactScore(ctx: WorkspaceContext, args: { contactId: number; target: string; top?: number }): Promise<ScoreExplanation> {
  const target = await getModelTarget(ctx, args.target);
  const active = await getActiveModel(ctx, target);
  const model = modelFor(ctx, active);
  if (!model.explain) throw new FailedPreconditionError(`model "${active.modelKey}" does not explain its scores`);
  const { features, scores } = await scoreContacts(ctx, { active, model, cutoff: ctx.now(), contactIds: [args.contactId] });
  if (!features.rows) throw new NotFoundError('contact', args.contactId);
  const [contributions] = await model.explain({ artifact: active.artifact, features });
  const all = features.featureNames.map((feature, i) => ({ feature, value: displayValue(feature, features.values[i]), contribution: contributions[i] }));
  const top = Math.max(1, Math.min(20, args.top ?? 5));
  return {
    target: target.key,
    modelId: active.id,
    version: active.version,
    score: scores[0],
    raising: all.filter((c) => c.contribution > 0).sort((a, b) => b.contribution - a.contribution).slice(0, top),
    lowering: all.filter((c) => c.contribution < 0).sort((a, b) => a.contribution - b.contribution).slice(0, top),
  };
}
