// The matrix k-means runs on: one row per profiled contact of the population, one column per
// feature, read in one statement, imputed, transformed, then standardised in place.
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { compileRule } from '../personas/rule-compile';
import type { RuleEnv } from '../personas/rule-env';
import type { PersonaRule } from '../personas/rule-types';
import { transform, type FeatureDef } from './cluster-features';
import { columnMoments } from './column-moments';

export interface FeatureMatrix {
  /** n × d, row-major. */
  x: Float64Array;
  n: number;
  d: number;
  /** Per feature: the population mean of the raw values, which stands in for a missing one. */
  impute: number[];
}

/** Reads the raw feature values of the population, imputes missing ones with the mean, transforms. */
export async function loadFeatureMatrix(ctx: WorkspaceContext, args: { features: FeatureDef[]; population: PersonaRule | null; env: RuleEnv }): Promise<FeatureMatrix> {
  const { features, population, env } = args;
  const pop = population ? compileRule(population, env, { workspaceId: ctx.workspaceId, now: ctx.now() }) : null;
  const select = features.map((f) => f.sql).join(', ');
  const [result] = await ctx.db.sql.query<RowDataPacket[][]>(
    { sql: `SELECT ${select} FROM contacts c JOIN contact_profiles p ON p.contact_id = c.id WHERE c.workspace_id = ?${pop ? ` AND ${pop.where}` : ''}`, rowsAsArray: true },
    [...features.flatMap((f) => f.params), ctx.workspaceId, ...(pop?.params ?? [])],
  );
  const rows = result as unknown as (number | string | null)[][];
  const n = rows.length;
  const d = features.length;
  const impute = features.map((_, j) => {
    let sum = 0;
    let count = 0;
    for (const r of rows) if (r[j] !== null) (sum += Number(r[j])), count++;
    return count ? sum / count : 0;
  });
  const x = new Float64Array(n * d);
  rows.forEach((r, i) => features.forEach((f, j) => (x[i * d + j] = transform(f, r[j] === null ? impute[j] : Number(r[j])))));
  return { x, n, d, impute };
}

/** Standardises columns in place (population standard deviation, as scikit-learn's StandardScaler). */
export function standardise(x: Float64Array, n: number, d: number): { means: number[]; stds: number[] } {
  const { means, variances } = columnMoments(x, n, d);
  const stds = variances.map((v) => Math.sqrt(v) || 1);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = (x[i * d + j] - means[j]) / stds[j];
  return { means, stds };
}
