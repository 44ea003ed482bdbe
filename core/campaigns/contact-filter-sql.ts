// A contact filter as a SQL condition over `contacts c`, for set-based audience snapshots
// (INSERT … SELECT over hundreds of thousands of contacts). The filter is first checked by
// buildContactWhere, so both paths reject the same inputs with the same issue paths; the
// semantics match the contact list (tests/campaigns/audience.test.ts compares the counts).
import type { WorkspaceContext } from '../context';
import type { IssuePath } from '../errors';
import { buildContactWhere, type AttributeCondition, type ContactFilter } from '../contacts/contact-filter';
import { loadAttributeDefs, type AttributeDef } from '../attributes/attribute-definitions';
import { checkAttributes } from '../attributes/attribute-values';

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/** The filter as a condition on alias `c` (always true for an empty filter). Throws ValidationError with paths. */
export async function contactFilterSql(ctx: WorkspaceContext, filter: ContactFilter | null | undefined, path: IssuePath): Promise<SqlFragment> {
  await buildContactWhere(ctx, filter, path); // validation only
  const parts: string[] = [];
  const params: unknown[] = [];
  if (!filter) return { sql: 'TRUE', params };
  const search = filter.search?.trim();
  if (search) {
    const like = `%${likeEscape(search)}%`;
    parts.push('(c.email_normalized LIKE ? OR c.first_name LIKE ? OR c.last_name LIKE ? OR c.external_id LIKE ?)');
    params.push(`%${likeEscape(search.toLowerCase())}%`, like, like, like);
  }
  if (filter.consentStatus?.length) {
    parts.push('c.consent_status IN (?)');
    params.push(filter.consentStatus);
  }
  const dates: [Date | null | undefined, string][] = [
    [filter.createdAfter, 'c.created_at >= ?'],
    [filter.createdBefore, 'c.created_at < ?'],
    [filter.lastSeenAfter, 'c.last_seen_at >= ?'],
    [filter.lastSeenBefore, 'c.last_seen_at < ?'],
  ];
  for (const [value, sql] of dates) {
    if (value) {
      parts.push(sql);
      params.push(value);
    }
  }
  if (filter.hasEmail != null) parts.push(filter.hasEmail ? 'c.email_normalized IS NOT NULL' : 'c.email_normalized IS NULL');
  if (filter.attributes?.length) {
    const defs = await loadAttributeDefs(ctx);
    for (const cond of filter.attributes) {
      const frag = attributeSql(cond, defs.get(cond.key)!, defs);
      parts.push(frag.sql);
      params.push(...frag.params);
    }
  }
  return { sql: parts.length ? parts.join(' AND ') : 'TRUE', params };
}

function coerce(cond: AttributeCondition, value: unknown, defs: Map<string, AttributeDef>): string | number | boolean {
  return checkAttributes({ [cond.key]: value }, defs, []).value[cond.key] as string | number | boolean;
}

// One typed comparison. JSON_EXTRACT returns JSON text ('36', '"gold"', 'true'), so each
// type compares in its own domain: numbers as DOUBLE, strings unquoted and byte-exact.
function equalsSql(def: AttributeDef, v: string | number | boolean, jsonPath: string): SqlFragment {
  const x = 'JSON_EXTRACT(c.attributes, ?)';
  switch (def.type) {
    case 'NUMBER':
      return { sql: `(JSON_TYPE(${x}) IN ('INTEGER','DOUBLE') AND CAST(${x} AS DOUBLE) = ?)`, params: [jsonPath, jsonPath, v] };
    case 'BOOLEAN':
      return { sql: `(JSON_TYPE(${x}) = 'BOOLEAN' AND ${x} = ?)`, params: [jsonPath, jsonPath, v ? 'true' : 'false'] };
    default:
      return { sql: `(JSON_TYPE(${x}) = 'STRING' AND BINARY JSON_UNQUOTE(${x}) = BINARY ?)`, params: [jsonPath, jsonPath, String(v)] };
  }
}

function attributeSql(cond: AttributeCondition, def: AttributeDef, defs: Map<string, AttributeDef>): SqlFragment {
  const jsonPath = `$.${cond.key}`;
  const x = 'JSON_EXTRACT(c.attributes, ?)';
  const exists: SqlFragment = { sql: `(${x} IS NOT NULL AND JSON_TYPE(${x}) <> 'NULL')`, params: [jsonPath, jsonPath] };
  switch (cond.op) {
    case 'EXISTS':
      return exists;
    case 'NOT_EXISTS':
      return { sql: `NOT COALESCE(${exists.sql}, FALSE)`, params: exists.params };
    case 'EQ':
      return equalsSql(def, coerce(cond, cond.value, defs), jsonPath);
    case 'NEQ': {
      // As in the contact list: the attribute must be set (to something else).
      const eq = equalsSql(def, coerce(cond, cond.value, defs), jsonPath);
      return { sql: `(${exists.sql} AND NOT COALESCE(${eq.sql}, FALSE))`, params: [...exists.params, ...eq.params] };
    }
    case 'IN': {
      const ors = (cond.value as unknown[]).map((v) => equalsSql(def, coerce(cond, v, defs), jsonPath));
      return { sql: `(${ors.map((o) => o.sql).join(' OR ')})`, params: ors.flatMap((o) => o.params) };
    }
    case 'CONTAINS':
      return { sql: `(JSON_TYPE(${x}) = 'STRING' AND JSON_UNQUOTE(${x}) LIKE ?)`, params: [jsonPath, jsonPath, `%${likeEscape(String(coerce(cond, cond.value, defs)))}%`] };
    default: {
      const op = { GT: '>', GTE: '>=', LT: '<', LTE: '<=' }[cond.op];
      const v = coerce(cond, cond.value, defs);
      if (def.type === 'NUMBER') return { sql: `(JSON_TYPE(${x}) IN ('INTEGER','DOUBLE') AND CAST(${x} AS DOUBLE) ${op} ?)`, params: [jsonPath, jsonPath, v] };
      // DATE values are stored as ISO strings, which sort chronologically.
      return { sql: `(JSON_TYPE(${x}) = 'STRING' AND JSON_UNQUOTE(${x}) ${op} ?)`, params: [jsonPath, jsonPath, String(v)] };
    }
  }
}
