// The model registry: versioned rows per target holding the weights, the feature list, the
// metrics and the data windows, with exactly one active version per target (the target row
// points at it, so "two active versions" cannot be represented).
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { FailedPreconditionError, NotFoundError } from '../errors';
import { withSqlTransaction } from '../db/sql-helpers';
import { writeAudit } from '../audit/audit-log';
import { enqueueJob } from '../jobs/job-queue';
import { SCORE_JOB_KIND } from './job-kinds';
import type { FeatureSpec } from './feature-spec';
import type { ModelMetrics } from './metrics';
import type { ModelTargetRecord } from './model-targets';

export interface NewModelVersion {
  target: ModelTargetRecord;
  modelKey: string;
  baselineKey: string;
  featureNames: string[];
  featureSpec: FeatureSpec;
  metrics: ModelMetrics;
  baselineMetrics: ModelMetrics;
  trainCutoff: Date;
  validationCutoff: Date;
  dataEnd: Date;
  seed: number;
  train: { rows: number; positives: number };
  validation: { rows: number; positives: number };
  artifact: Uint8Array;
  details: Record<string, unknown>;
  jobId: bigint | null;
  activate: boolean;
}

/** Stores a trained version as the target's next version number; optionally activates it. */
export async function registerModelVersion(ctx: WorkspaceContext, v: NewModelVersion): Promise<{ id: number; version: number }> {
  const out = await withSqlTransaction(ctx.db.sql, async (conn) => {
    // Lock the target row: concurrent registrations get consecutive versions.
    const [locked] = await conn.query<RowDataPacket[]>('SELECT id FROM model_targets WHERE id = ? AND workspace_id = ? FOR UPDATE', [v.target.id, ctx.workspaceId]);
    if (!locked.length) throw new NotFoundError('model target', v.target.key);
    const [[{ next }]] = await conn.query<RowDataPacket[]>('SELECT COALESCE(MAX(version), 0) + 1 AS next FROM propensity_models WHERE target_id = ?', [v.target.id]);
    const [res] = await conn.query(
      `INSERT INTO propensity_models (workspace_id, target_id, version, model_key, baseline_key, feature_names, feature_spec, metrics, baseline_metrics,
          train_cutoff, validation_cutoff, data_end, horizon_days, seed, train_rows, train_positives, validation_rows, validation_positives, artifact, details, job_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        ctx.workspaceId, v.target.id, next, v.modelKey, v.baselineKey, JSON.stringify(v.featureNames), JSON.stringify(v.featureSpec),
        JSON.stringify(jsonSafe(v.metrics)), JSON.stringify(jsonSafe(v.baselineMetrics)), v.trainCutoff, v.validationCutoff, v.dataEnd,
        v.target.horizonDays, v.seed, v.train.rows, v.train.positives, v.validation.rows, v.validation.positives,
        Buffer.from(v.artifact.buffer, v.artifact.byteOffset, v.artifact.byteLength), JSON.stringify(v.details), v.jobId === null ? null : String(v.jobId), ctx.now(),
      ],
    );
    const id = (res as { insertId: number }).insertId;
    if (v.activate) await conn.query('UPDATE model_targets SET active_model_id = ?, updated_at = ? WHERE id = ?', [id, ctx.now(), v.target.id]);
    return { id, version: Number(next) };
  });
  await writeAudit(ctx, { action: 'propensity_model.registered', targetType: 'PropensityModel', targetId: out.id, details: { target: v.target.key, version: out.version, activated: v.activate } });
  return out;
}

/** Makes a version the active one of its target and queues a scoring run with it. */
export async function activateModelVersion(ctx: WorkspaceContext, modelId: number) {
  const model = await ctx.db.prisma.propensityModel.findFirst({ where: { id: modelId, workspaceId: ctx.workspaceId }, select: { id: true, targetId: true, version: true } });
  if (!model) throw new NotFoundError('propensity model', modelId);
  await ctx.db.prisma.modelTarget.update({ where: { id: model.targetId }, data: { activeModelId: model.id } });
  await writeAudit(ctx, { action: 'propensity_model.activated', targetType: 'PropensityModel', targetId: model.id, details: { version: model.version } });
  // Scores must come from the active version: recompute them now rather than at the next schedule.
  await enqueueJob(ctx, { workspaceId: ctx.workspaceId, kind: SCORE_JOB_KIND, payload: { targetId: model.targetId }, dedupeKey: `target:${model.targetId}`, dedupeAgainst: 'queued' });
  return model;
}

export interface ActiveModel {
  id: number;
  version: number;
  modelKey: string;
  featureSpec: FeatureSpec;
  featureNames: string[];
  artifact: Uint8Array;
}

/** The active version of a target, or a FailedPreconditionError saying how to get one. */
export async function getActiveModel(ctx: WorkspaceContext, target: ModelTargetRecord): Promise<ActiveModel> {
  const row = target.activeModelId
    ? await ctx.db.prisma.propensityModel.findFirst({ where: { id: target.activeModelId, workspaceId: ctx.workspaceId } })
    : null;
  if (!row) {
    throw new FailedPreconditionError(`target "${target.key}" has no active model: train one (trainPropensityModel) or activate a version first`, [{ path: ['target'], message: 'no active model' }]);
  }
  return {
    id: row.id,
    version: row.version,
    modelKey: row.modelKey,
    featureSpec: row.featureSpec as unknown as FeatureSpec,
    featureNames: row.featureNames as string[],
    artifact: new Uint8Array(row.artifact),
  };
}

/** NaN (e.g. an AUC without both classes) is not JSON; store it as null. */
function jsonSafe<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x)));
}
