import type { Issue, IssuePath } from '../errors';
import type { AttributeDef } from './attribute-definitions';

export type AttributeValue = string | number | boolean | null;

const TRUE = new Set(['true', '1', 'yes', 'y']);
const FALSE = new Set(['false', '0', 'no', 'n']);
const MAX_STRING = 1000;

/**
 * Checks and coerces attribute values against their definitions. Strings from CSV files
 * are accepted where they parse unambiguously ("42" for NUMBER, "yes" for BOOLEAN). `null`
 * means "remove the attribute". Unknown keys are errors unless `unknownKeys` is 'drop'.
 */
export function checkAttributes(
  raw: unknown,
  defs: Map<string, AttributeDef>,
  path: IssuePath,
  opts: { unknownKeys?: 'error' | 'drop' } = {},
): { value: Record<string, AttributeValue>; issues: Issue[]; dropped: string[] } {
  const issues: Issue[] = [];
  const dropped: string[] = [];
  const value: Record<string, AttributeValue> = {};
  if (raw === null || raw === undefined) return { value, issues, dropped };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { value, issues: [{ path, message: 'must be an object of attribute values' }], dropped };
  }
  for (const [key, v] of Object.entries(raw as Record<string, unknown>)) {
    const def = defs.get(key);
    if (!def) {
      if (opts.unknownKeys === 'drop') dropped.push(key);
      else issues.push({ path: [...path, key], message: `no attribute "${key}" is defined (define it with defineAttribute)` });
      continue;
    }
    if (v === null) {
      value[key] = null;
      continue;
    }
    const coerced = coerce(def, v);
    if (typeof coerced === 'object' && coerced !== null) issues.push({ path: [...path, key], message: coerced.error });
    else value[key] = coerced;
  }
  return { value, issues, dropped };
}

function coerce(def: AttributeDef, v: unknown): AttributeValue | { error: string } {
  switch (def.type) {
    case 'STRING':
      if (typeof v !== 'string' && typeof v !== 'number') return { error: 'expected a string' };
      return String(v).length > MAX_STRING ? { error: `longer than ${MAX_STRING} characters` } : String(v);
    case 'NUMBER': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      return Number.isFinite(n) ? n : { error: `expected a number, got ${JSON.stringify(v)}` };
    }
    case 'BOOLEAN': {
      if (typeof v === 'boolean') return v;
      const s = String(v).trim().toLowerCase();
      if (TRUE.has(s)) return true;
      if (FALSE.has(s)) return false;
      return { error: `expected a boolean, got ${JSON.stringify(v)}` };
    }
    case 'DATE': {
      if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v.trim())) {
        return { error: `expected an ISO 8601 date (YYYY-MM-DD), got ${JSON.stringify(v)}` };
      }
      const d = new Date(v.trim().length === 10 ? `${v.trim()}T00:00:00Z` : v.trim());
      if (Number.isNaN(d.getTime())) return { error: `not a real date: ${JSON.stringify(v)}` };
      // Dates are stored as ISO strings so JSON comparisons sort chronologically.
      return v.trim().length === 10 ? v.trim() : d.toISOString();
    }
    case 'ENUM': {
      const s = typeof v === 'string' ? v : String(v);
      return def.enumValues?.includes(s) ? s : { error: `expected one of ${def.enumValues?.join(', ')}, got ${JSON.stringify(v)}` };
    }
  }
}
