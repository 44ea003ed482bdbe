// Features k-means can cluster on, each as a SQL expression over `contacts c` joined to
// `contact_profiles p`. Skewed counts and money are log1p-transformed before standardising
// (as in the usual RFM clustering recipe). Missing values are imputed with the population
// mean, and the same SQL, transform, imputation and scaling assign contacts to a saved cluster.
import type { Issue, IssuePath } from '../errors';
import type { AttributeDef } from '../attributes/attribute-definitions';

export interface FeatureDef {
  /** As requested, e.g. "monetary", "interest:shoes", "attribute:plan=pro". */
  name: string;
  sql: string;
  params: unknown[];
  log: boolean;
  /** Short words for labels when the cluster is high / low on this feature. */
  high: string;
  low: string;
}

const PROFILE: Record<string, Omit<FeatureDef, 'name' | 'params'>> = {
  recency: { sql: 'TIMESTAMPDIFF(DAY, p.last_purchase_at, p.computed_at)', log: true, high: 'lapsed', low: 'recent' },
  frequency: { sql: 'p.purchase_count', log: true, high: 'loyal', low: 'occasional' },
  monetary: { sql: 'p.monetary_total', log: true, high: 'high value', low: 'low value' },
  averageOrderValue: { sql: 'p.average_order_value', log: true, high: 'big baskets', low: 'small baskets' },
  sessions: { sql: 'p.session_count', log: true, high: 'frequent visitors', low: 'rare visitors' },
  events30d: { sql: 'p.events_30d', log: true, high: 'active lately', low: 'quiet lately' },
  events90d: { sql: 'p.events_90d', log: true, high: 'active', low: 'inactive' },
  opens90d: { sql: 'p.opens_90d', log: true, high: 'email readers', low: 'email ignorers' },
  clicks90d: { sql: 'p.clicks_90d', log: true, high: 'email clickers', low: 'non-clickers' },
  tenureDays: { sql: 'TIMESTAMPDIFF(DAY, p.first_seen_at, p.computed_at)', log: true, high: 'long-standing', low: 'newcomers' },
};

export const PROFILE_FEATURES = Object.keys(PROFILE);
export const MAX_FEATURES = 20;

/** Resolves requested feature names; unknown names and wrong attribute types are issues at their index. */
export function resolveFeatures(names: unknown, attributes: Map<string, AttributeDef>, path: IssuePath): { features: FeatureDef[]; issues: Issue[] } {
  const issues: Issue[] = [];
  if (!Array.isArray(names) || !names.length) return { features: [], issues: [{ path, message: 'choose at least one feature' }] };
  if (names.length > MAX_FEATURES) return { features: [], issues: [{ path, message: `at most ${MAX_FEATURES} features` }] };
  if (new Set(names).size !== names.length) issues.push({ path, message: 'each feature may appear once' });
  const features: FeatureDef[] = [];
  names.forEach((name, i) => {
    const f = typeof name === 'string' ? resolve(name, attributes) : { error: 'expected a feature name' };
    if ('error' in f) issues.push({ path: [...path, i], message: f.error });
    else features.push(f);
  });
  return { features, issues };
}

function resolve(name: string, attributes: Map<string, AttributeDef>): FeatureDef | { error: string } {
  if (Object.hasOwn(PROFILE, name)) return { name, params: [], ...PROFILE[name] };
  if (name.startsWith('interest:')) {
    const category = name.slice('interest:'.length);
    if (!category || category.length > 100) return { error: 'interest:<category> needs a category name of 1–100 characters' };
    return {
      name,
      sql: 'COALESCE((SELECT i.score FROM contact_interests i WHERE i.contact_id = c.id AND i.category = ?), 0)',
      params: [category],
      log: false,
      high: `${category} fans`,
      low: `not into ${category}`,
    };
  }
  if (name.startsWith('attribute:')) {
    const [key, value] = name.slice('attribute:'.length).split('=', 2);
    const def = attributes.get(key);
    if (!def) return { error: `no attribute "${key}" is defined` };
    const json = `JSON_VALUE(c.attributes, '$.${def.key}')`;
    if (def.type === 'NUMBER' && value === undefined) return { name, sql: `CAST(${json} AS DOUBLE)`, params: [], log: false, high: `high ${key}`, low: `low ${key}` };
    if (def.type === 'BOOLEAN' && value === undefined) return { name, sql: `(JSON_UNQUOTE(JSON_EXTRACT(c.attributes, '$.${def.key}')) = 'true')`, params: [], log: false, high: key, low: `not ${key}` };
    // ENUM and STRING attributes are one-hot encoded, one feature per value.
    if ((def.type === 'ENUM' || def.type === 'STRING') && value !== undefined) {
      if (def.type === 'ENUM' && !def.enumValues?.includes(value)) return { error: `"${value}" is not a value of ${key} (${def.enumValues?.join(', ')})` };
      return { name, sql: `COALESCE(${json} = ?, 0)`, params: [value], log: false, high: `${key} ${value}`, low: `not ${key} ${value}` };
    }
    return { error: `attribute "${key}" is ${def.type}: use attribute:${key}${def.type === 'ENUM' || def.type === 'STRING' ? '=<value>' : ''}` };
  }
  return { error: `unknown feature "${name}" (use ${PROFILE_FEATURES.join(', ')}, interest:<category> or attribute:<key>[=<value>])` };
}

/** The transformed value (log1p of non-negative values for skewed features). */
export function transform(f: Pick<FeatureDef, 'log'>, v: number): number {
  return f.log ? Math.log1p(Math.max(0, v)) : v;
}

/** SQL for the standardised value of a feature, matching `transform` and the stored scaling. */
export function standardisedSql(f: FeatureDef, impute: number, mean: number, std: number): { sql: string; params: unknown[] } {
  const raw = `COALESCE(${f.sql}, ?)`;
  const t = f.log ? `LN(1 + GREATEST(0, ${raw}))` : raw;
  return { sql: `((${t} - ?) / ?)`, params: [...f.params, impute, mean, std] };
}
