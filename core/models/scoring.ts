// Batch scoring: every contact of the workspace gets the active model's score for a target.
// The workspace is walked page by page (features in set-based SQL, see feature-sql.ts), each
// page is scored with one predict call and written with multi-row INSERT ... ON DUPLICATE KEY
// UPDATE into contact_scores. Reading the next page, predicting and writing the previous ones
// overlap, so the database reads and writes on both cores while Node predicts.
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { FailedPreconditionError } from '../errors';
import type { PropensityModelDefinition } from '../ports/propensity-model';
import { extractFeatures, FEATURE_PAGE, workspaceFeatures, type ContactFeatures } from './feature-extraction';
import { featureNames } from './feature-spec';
import { getActiveModel, type ActiveModel } from './model-registry';
import { getModelTarget } from './model-targets';
import { writeScores } from './score-writer';

/** Pages whose scores may be in the course of being written while the next page is read. */
const PIPELINE = 2;

export interface ScoringResult {
  targetKey: string;
  modelId: number;
  version: number;
  scored: number;
  scoredAt: Date;
}

/** Scores every contact for `target` with its active model; throws FailedPreconditionError without one. */
export async function scoreTarget(
  ctx: WorkspaceContext,
  args: { target: string; chunkSize?: number; signal?: AbortSignal; onProgress?: (done: number, total: number) => void | Promise<void> },
): Promise<ScoringResult> {
  const target = await getModelTarget(ctx, args.target);
  const active = await getActiveModel(ctx, target);
  const model = modelFor(ctx, active);
  const scoredAt = ctx.now();
  const [[{ total }]] = await ctx.db.sql.query<RowDataPacket[]>('SELECT COUNT(*) AS total FROM contacts WHERE workspace_id = ?', [ctx.workspaceId]);
  let scored = 0;
  const scorePage = async (page: ContactFeatures) => {
    const scores = await model.predict({ artifact: active.artifact, features: page.features });
    await writeScores(ctx, { modelId: active.id, target: target.key, scoredAt, contactIds: page.contactIds, scores });
    scored += page.contactIds.length;
    await args.onProgress?.(scored, Number(total));
  };
  const inflight = new Set<Promise<void>>();
  try {
    for await (const page of workspaceFeatures(ctx, { spec: active.featureSpec, cutoff: scoredAt, pageSize: args.chunkSize ?? FEATURE_PAGE, signal: args.signal })) {
      const task: Promise<void> = scorePage(page).finally(() => inflight.delete(task));
      task.catch(() => {}); // observed below (race/all); this only keeps Node from calling it unhandled meanwhile
      inflight.add(task);
      if (inflight.size >= PIPELINE) await Promise.race(inflight);
    }
    await Promise.all(inflight);
  } catch (err) {
    await Promise.allSettled(inflight); // let the pages in flight finish before reporting the failure
    throw err;
  }
  // Rows this run did not rewrite belong to contacts that no longer exist in the scored set.
  await ctx.db.sql.query('DELETE FROM contact_scores WHERE workspace_id = ? AND target = ? AND scored_at < ?', [ctx.workspaceId, target.key, scoredAt]);
  await ctx.db.prisma.modelTarget.update({ where: { id: target.id }, data: { lastScoredAt: scoredAt } });
  ctx.events.emit('model.scores.refreshed', { workspaceId: ctx.workspaceId, targetKey: target.key, modelId: active.id, scored });
  return { targetKey: target.key, modelId: active.id, version: active.version, scored, scoredAt };
}

/** Features as of `cutoff` and the active model's scores for some contacts (rows in id order given). */
export async function scoreContacts(
  ctx: WorkspaceContext,
  args: { active: ActiveModel; model: PropensityModelDefinition; cutoff: Date; contactIds: number[] },
): Promise<{ contactIds: Int32Array; scores: Float32Array; features: import('../ports/propensity-model').FeatureMatrix }> {
  const { contactIds, features } = await extractFeatures(ctx, { spec: args.active.featureSpec, cutoff: args.cutoff, contactIds: args.contactIds });
  if (!features.rows) return { contactIds, scores: new Float32Array(0), features };
  const scores = await args.model.predict({ artifact: args.active.artifact, features });
  return { contactIds, scores, features };
}

/** The plugin that trained the active version; it must still be loaded to score with it. */
export function modelFor(ctx: WorkspaceContext, active: ActiveModel): PropensityModelDefinition {
  const model = ctx.extensions.models.get(active.modelKey);
  if (!model) throw new FailedPreconditionError(`the active model was trained by "${active.modelKey}", which is not registered in this process (is its plugin in personae.config.ts?)`);
  // The stored spec must still produce the columns the weights were trained on.
  const names = featureNames(active.featureSpec);
  if (names.join('\u0000') !== active.featureNames.join('\u0000')) {
    throw new FailedPreconditionError(`model version ${active.version} was trained on features this version of Personae no longer computes; retrain it`);
  }
  return model;
}
