// Property filters of user-defined targets ("purchase with category = shoes"), validated once
// and compiled to SQL over `events.properties` with bound values. Property names are checked
// against a strict pattern, so the JSON path can be spliced into the statement safely.
import { ValidationError, type Issue, type IssuePath } from '../errors';

export const FILTER_OPS = ['EQ', 'NEQ', 'IN', 'GT', 'GTE', 'LT', 'LTE', 'EXISTS'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export interface PropertyFilter {
  /** A property name, or a dotted path into nested objects (`items.0.sku` is not supported). */
  property: string;
  op: FilterOp;
  value?: string | number | boolean | (string | number)[] | null;
}

const PROPERTY_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,3}$/;
const MAX_FILTERS = 10;

/** Checks filters and returns them normalised; throws a ValidationError naming each bad one. */
export function checkPropertyFilters(raw: unknown, path: IssuePath): PropertyFilter[] {
  if (raw == null) return [];
  if (!Array.isArray(raw)) throw ValidationError.at(path, 'must be a list of { property, op, value }');
  if (raw.length > MAX_FILTERS) throw ValidationError.at(path, `at most ${MAX_FILTERS} filters`);
  const issues: Issue[] = [];
  const out: PropertyFilter[] = [];
  raw.forEach((f: Partial<PropertyFilter> | null, i) => {
    const at = (field: string, message: string) => issues.push({ path: [...path, i, field], message });
    if (!f || typeof f !== 'object') return issues.push({ path: [...path, i], message: 'must be an object' });
    if (typeof f.property !== 'string' || !PROPERTY_RE.test(f.property)) return at('property', 'letters, digits and _ , optionally dotted (max 4 levels)');
    if (!FILTER_OPS.includes(f.op as FilterOp)) return at('op', `one of ${FILTER_OPS.join(', ')}`);
    const op = f.op as FilterOp;
    const v = f.value;
    if (op === 'EXISTS') return out.push({ property: f.property, op });
    if (op === 'IN') {
      if (!Array.isArray(v) || !v.length || v.length > 100 || v.some((x) => typeof x !== 'string' && typeof x !== 'number')) {
        return at('value', 'IN needs a list of 1–100 strings or numbers');
      }
      return out.push({ property: f.property, op, value: v.map(String) });
    }
    if (['GT', 'GTE', 'LT', 'LTE'].includes(op)) {
      if (typeof v !== 'number' || !Number.isFinite(v)) return at('value', `${op} needs a number`);
      return out.push({ property: f.property, op, value: v });
    }
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return at('value', `${op} needs a string, number or boolean`);
    out.push({ property: f.property, op, value: v });
  });
  if (issues.length) throw new ValidationError('invalid property filters', issues);
  return out;
}

/** SQL conditions (joined with AND) over `<alias>.properties`, with their parameters. */
export function propertyFiltersSql(filters: PropertyFilter[], alias: string): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const f of filters) {
    const path = `'$.${f.property}'`;
    const value = `JSON_VALUE(${alias}.properties, ${path})`;
    switch (f.op) {
      case 'EXISTS':
        parts.push(`JSON_CONTAINS_PATH(${alias}.properties, 'one', ${path})`);
        break;
      case 'IN':
        parts.push(`${value} IN (?)`);
        params.push(f.value);
        break;
      case 'GT': case 'GTE': case 'LT': case 'LTE': {
        const sym = { GT: '>', GTE: '>=', LT: '<', LTE: '<=' }[f.op];
        parts.push(`CAST(${value} AS DOUBLE) ${sym} ?`);
        params.push(f.value);
        break;
      }
      case 'EQ': case 'NEQ': {
        // JSON_VALUE yields text ('true', '12.5'); compare numbers numerically, the rest as text.
        const cmp = f.op === 'EQ' ? '=' : '<>';
        if (typeof f.value === 'number') {
          parts.push(`CAST(${value} AS DOUBLE) ${cmp} ?`);
          params.push(f.value);
        } else {
          parts.push(f.op === 'EQ' ? `${value} = ?` : `(${value} IS NULL OR ${value} <> ?)`);
          params.push(String(f.value));
        }
        break;
      }
    }
  }
  return { sql: parts.length ? parts.join(' AND ') : 'TRUE', params };
}
