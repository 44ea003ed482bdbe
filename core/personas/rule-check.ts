// Checks a persona rule (JSON from GraphQL or the database) against the workspace: every
// field must exist, every operator must suit the field's type, values must have that type,
// time windows must be exact durations, referenced personas and score targets must exist.
// All problems are collected with their path in the rule; the result is the normalised rule.
import type { Issue, IssuePath } from '../errors';
import { parseDuration } from './duration';
import { CONSENT_STATUSES, CONTACT_FIELDS, PROFILE_FIELDS, type FieldDef } from './rule-fields';
import { OPERATORS, OPS_BY_TYPE, RULE_KINDS, RULE_LIMITS, type Comparison, type EventMatch, type Operator, type PersonaRule, type Scalar, type ValueType } from './rule-types';
import type { RuleEnv } from './rule-env';

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const COUNT_OPS: readonly Operator[] = ['EQ', 'NEQ', 'GT', 'GTE', 'LT', 'LTE', 'BETWEEN'];
const SCORE_OPS: readonly Operator[] = ['GT', 'GTE', 'LT', 'LTE', 'BETWEEN'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** GraphQL passes explicit nulls for omitted optional input fields; they mean "absent". */
const present = (o: Obj) => Object.entries(o).filter(([, v]) => v !== null && v !== undefined);

/** The normalised rule and the problems found (empty when the rule is valid). */
export function checkRule(raw: unknown, env: RuleEnv, path: IssuePath = ['rule']): { rule: PersonaRule; issues: Issue[]; personaSlugs: Set<string> } {
  const issues: Issue[] = [];
  const personaSlugs = new Set<string>();
  let conditions = 0;
  const fail = (p: IssuePath, message: string) => {
    issues.push({ path: p, message });
    return null;
  };

  function only(o: Obj, allowed: string[], p: IssuePath): boolean {
    const extra = present(o).map(([k]) => k).filter((k) => !allowed.includes(k));
    for (const k of extra) fail([...p, k], `unknown field "${k}" (expected ${allowed.join(', ')})`);
    return extra.length === 0;
  }

  function node(v: unknown, p: IssuePath, depth: number): PersonaRule | null {
    if (depth > RULE_LIMITS.depth) return fail(p, `rules nest at most ${RULE_LIMITS.depth} levels deep`);
    if (!isObj(v)) return fail(p, 'expected an object with one condition');
    const keys = present(v).map(([k]) => k);
    if (keys.length !== 1) return fail(p, keys.length ? `expected exactly one condition, got ${keys.join(', ')}` : 'expected one condition');
    const kind = keys[0];
    const body = v[kind];
    const at = [...p, kind];
    if (!(RULE_KINDS as readonly string[]).includes(kind)) return fail(at, `unknown condition "${kind}" (expected one of ${RULE_KINDS.join(', ')})`);
    if (kind === 'and' || kind === 'or') {
      if (!Array.isArray(body) || !body.length) return fail(at, 'expected a non-empty list of rules');
      const children = body.map((c, i) => node(c, [...at, i], depth + 1));
      return children.every(Boolean) ? ({ [kind]: children } as PersonaRule) : null;
    }
    if (kind === 'not') {
      const child = node(body, at, depth + 1);
      return child ? { not: child } : null;
    }
    if (++conditions > RULE_LIMITS.conditions) return fail(at, `a rule has at most ${RULE_LIMITS.conditions} conditions`);
    if (!isObj(body)) return fail(at, 'expected an object');
    return leaf(kind, body, at);
  }

  function leaf(kind: string, b: Obj, p: IssuePath): PersonaRule | null {
    switch (kind) {
      case 'attribute': {
        if (!only(b, ['key', 'op', 'value'], p)) return null;
        const def = typeof b.key === 'string' ? env.attributes.get(b.key) : undefined;
        if (!def) return fail([...p, 'key'], `no attribute "${String(b.key)}" is defined`);
        const cmp = comparison(b, def.type, `attribute "${def.key}"`, p, def.enumValues ?? undefined);
        return cmp && { attribute: { key: def.key, ...cmp } };
      }
      case 'contact':
      case 'profile': {
        if (!only(b, ['field', 'op', 'value'], p)) return null;
        const fields = kind === 'contact' ? CONTACT_FIELDS : PROFILE_FIELDS;
        const def: FieldDef | undefined = typeof b.field === 'string' && Object.hasOwn(fields, b.field) ? fields[b.field] : undefined;
        if (!def) return fail([...p, 'field'], `unknown ${kind} field "${String(b.field)}" (expected one of ${Object.keys(fields).join(', ')})`);
        const cmp = comparison(b, def.type, `${kind} field "${b.field}"`, p, def.enumValues);
        return cmp && ({ [kind]: { field: b.field as string, ...cmp } } as PersonaRule);
      }
      case 'consent': {
        if (!only(b, ['in'], p)) return null;
        const list = b.in;
        if (!Array.isArray(list) || !list.length) return fail([...p, 'in'], 'expected a non-empty list of consent statuses');
        const bad = list.findIndex((s) => !(CONSENT_STATUSES as readonly unknown[]).includes(s));
        if (bad >= 0) return fail([...p, 'in', bad], `expected one of ${CONSENT_STATUSES.join(', ')}`);
        return { consent: { in: [...new Set(list)] as (typeof CONSENT_STATUSES)[number][] } };
      }
      case 'interest': {
        if (!only(b, ['category', 'op', 'value'], p)) return null;
        if (typeof b.category !== 'string' || !b.category.trim() || b.category.length > 100) return fail([...p, 'category'], 'expected a category name of 1–100 characters');
        const cmp = comparison(b, 'NUMBER', 'an interest score', p, undefined, OPS_BY_TYPE.NUMBER, [0, 1]);
        return cmp && { interest: { category: b.category, ...cmp } };
      }
      case 'event': {
        if (!only(b, ['type', 'where', 'within', 'count', 'sum'], p)) return null;
        const match = eventMatch(b, p);
        const within = b.within == null ? undefined : duration(b.within, [...p, 'within']);
        if (b.count != null && b.sum != null) return fail(p, 'use count or sum, not both');
        const measure = b.sum != null ? 'sum' : 'count';
        let cmp: Comparison | null = { op: 'GTE', value: 1 };
        if (b[measure] != null) {
          if (!isObj(b[measure])) return fail([...p, measure], 'expected { op, value }');
          if (!only(b[measure] as Obj, ['op', 'value'], [...p, measure])) return null;
          cmp = comparison(b[measure] as Obj, 'NUMBER', measure === 'sum' ? 'an event value sum' : 'an event count', [...p, measure], undefined, COUNT_OPS);
        }
        if (!match || within === null || !cmp) return null;
        return { event: { ...match, ...(within ? { within } : {}), [measure]: cmp } };
      }
      case 'sequence': {
        if (!only(b, ['first', 'then', 'within', 'followed', 'lookback'], p)) return null;
        const first = isObj(b.first) ? (only(b.first, ['type', 'where'], [...p, 'first']) ? eventMatch(b.first, [...p, 'first']) : null) : fail([...p, 'first'], 'expected { type, where }');
        const then = isObj(b.then) ? (only(b.then, ['type', 'where'], [...p, 'then']) ? eventMatch(b.then, [...p, 'then']) : null) : fail([...p, 'then'], 'expected { type, where }');
        const within = duration(b.within, [...p, 'within']);
        const lookback = b.lookback == null ? undefined : duration(b.lookback, [...p, 'lookback']);
        if (typeof b.followed !== 'boolean') return fail([...p, 'followed'], 'expected true (then happened within the window) or false (it did not)');
        if (!first || !then || !within || lookback === null) return null;
        return { sequence: { first, then, within, followed: b.followed, ...(lookback ? { lookback } : {}) } };
      }
      case 'persona': {
        if (!only(b, ['slug'], p)) return null;
        const slug = b.slug;
        if (typeof slug !== 'string' || !env.personas.has(slug)) return fail([...p, 'slug'], `no persona "${String(slug)}" in this workspace`);
        if (slug === env.selfSlug) return fail([...p, 'slug'], 'a persona cannot contain itself');
        if (env.selfSlug && dependsOn(env, slug, env.selfSlug)) return fail([...p, 'slug'], `persona "${slug}" already depends on "${env.selfSlug}": that would be a cycle`);
        personaSlugs.add(slug);
        return { persona: { slug } };
      }
      case 'score':
      case 'scoreTop': {
        if (!only(b, kind === 'score' ? ['target', 'op', 'value'] : ['target', 'percent'], p)) return null;
        if (!env.scoreTargets) return fail(p, 'propensity scores are not available yet (no contact_scores table in this deployment)');
        if (typeof b.target !== 'string' || !env.scoreTargets.has(b.target)) {
          return fail([...p, 'target'], `no scores for target "${String(b.target)}"${env.scoreTargets.size ? ` (known: ${[...env.scoreTargets].join(', ')})` : ''}`);
        }
        if (kind === 'scoreTop') {
          const pct = b.percent;
          if (typeof pct !== 'number' || !(pct > 0 && pct <= 100)) return fail([...p, 'percent'], 'expected a percentage in (0, 100]');
          return { scoreTop: { target: b.target, percent: pct } };
        }
        const cmp = comparison(b, 'NUMBER', 'a propensity score', p, undefined, SCORE_OPS, [0, 1]);
        return cmp && { score: { target: b.target, ...cmp } };
      }
    }
    return null;
  }

  function eventMatch(b: Obj, p: IssuePath): EventMatch | null {
    if (typeof b.type !== 'string' || !b.type.trim() || b.type.length > 64) return fail([...p, 'type'], 'expected an event type of 1–64 characters');
    if (b.where == null) return { type: b.type.trim() };
    if (!Array.isArray(b.where)) return fail([...p, 'where'], 'expected a list of property conditions');
    const where = b.where.map((c, i) => {
      const at = [...p, 'where', i];
      if (!isObj(c) || !only(c, ['property', 'op', 'value'], at)) return isObj(c) ? null : fail(at, 'expected { property, op, value }');
      if (typeof c.property !== 'string' || !NAME_RE.test(c.property)) return fail([...at, 'property'], 'expected a property name: a letter or _, then letters, digits or _ (max 64)');
      const cmp = comparison(c, propertyType(c), `property "${c.property}"`, at, undefined, PROPERTY_OPS);
      return cmp && { property: c.property, ...cmp };
    });
    return where.every(Boolean) ? { type: b.type.trim(), where: where as EventMatch['where'] } : null;
  }

  function duration(v: unknown, p: IssuePath): string | null {
    const d = parseDuration(v);
    return 'error' in d ? fail(p, d.error) : String(v).trim().toUpperCase();
  }

  /** Checks op against the type (and an optional narrower list) and coerces the value. */
  function comparison(b: Obj, type: ValueType, what: string, p: IssuePath, enumValues?: readonly string[], allowed: readonly Operator[] = OPS_BY_TYPE[type], range?: [number, number]): Comparison | null {
    const op = b.op as Operator;
    if (!(OPERATORS as readonly unknown[]).includes(op)) return fail([...p, 'op'], `unknown operator ${JSON.stringify(b.op)} (expected one of ${OPERATORS.join(', ')})`);
    const ops = allowed.filter((o) => OPS_BY_TYPE[type].includes(o));
    if (!ops.includes(op)) return fail([...p, 'op'], `${op} does not apply to ${what} (${type}); use ${ops.join(', ')}`);
    const v = b.value;
    if (op === 'EXISTS' || op === 'NOT_EXISTS') return v == null ? { op } : fail([...p, 'value'], `${op} takes no value`);
    if (op === 'WITHIN_LAST' || op === 'NOT_WITHIN_LAST') {
      const d = duration(v, [...p, 'value']);
      return d ? { op, value: d } : null;
    }
    const one = (x: unknown, at: IssuePath): Scalar | null => {
      const c = coerce(type, x, enumValues);
      if ('error' in c) return fail(at, c.error);
      if (range && typeof c.value === 'number' && (c.value < range[0] || c.value > range[1])) return fail(at, `expected a value between ${range[0]} and ${range[1]}`);
      return c.value;
    };
    if (op === 'IN' || op === 'NOT_IN' || op === 'BETWEEN') {
      const n = op === 'BETWEEN' ? 2 : undefined;
      if (!Array.isArray(v) || !v.length || (n && v.length !== n) || v.length > RULE_LIMITS.listValues) {
        return fail([...p, 'value'], op === 'BETWEEN' ? 'BETWEEN takes a list of two values [low, high]' : `${op} takes a non-empty list of at most ${RULE_LIMITS.listValues} values`);
      }
      const list = v.map((x, i) => one(x, [...p, 'value', i]));
      if (list.some((x) => x === null)) return null;
      if (op === 'BETWEEN' && (list[0] as Scalar) > (list[1] as Scalar)) return fail([...p, 'value'], 'the low end is above the high end');
      return { op, value: list as Scalar[] };
    }
    if (v == null) return fail([...p, 'value'], `${op} needs a value`);
    const value = one(v, [...p, 'value']);
    return value === null ? null : { op, value };
  }

  const rule = node(raw, path, 1);
  return { rule: rule as PersonaRule, issues, personaSlugs };
}

const PROPERTY_OPS: readonly Operator[] = ['EQ', 'NEQ', 'GT', 'GTE', 'LT', 'LTE', 'BETWEEN', 'IN', 'NOT_IN', 'CONTAINS', 'EXISTS', 'NOT_EXISTS'];

/** Event properties are untyped JSON: the operator and value say how to compare. */
function propertyType(c: Obj): ValueType {
  if (['GT', 'GTE', 'LT', 'LTE', 'BETWEEN'].includes(c.op as string)) return 'NUMBER';
  const first = Array.isArray(c.value) ? c.value[0] : c.value;
  return typeof first === 'number' ? 'NUMBER' : typeof first === 'boolean' ? 'BOOLEAN' : 'STRING';
}

function coerce(type: ValueType, v: unknown, enumValues?: readonly string[]): { value: Scalar } | { error: string } {
  switch (type) {
    case 'NUMBER':
      return typeof v === 'number' && Number.isFinite(v) ? { value: v } : { error: `expected a number, got ${JSON.stringify(v)}` };
    case 'BOOLEAN':
      return typeof v === 'boolean' ? { value: v } : { error: `expected true or false, got ${JSON.stringify(v)}` };
    case 'STRING':
      return typeof v === 'string' && v.length <= 1000 ? { value: v } : { error: `expected a string of at most 1000 characters, got ${JSON.stringify(v)}` };
    case 'ENUM':
      return typeof v === 'string' && (!enumValues || enumValues.includes(v)) ? { value: v } : { error: `expected one of ${enumValues?.join(', ')}, got ${JSON.stringify(v)}` };
    case 'DATE': {
      const d = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) ? new Date(v.length === 10 ? `${v}T00:00:00Z` : v) : null;
      return d && !Number.isNaN(d.getTime()) ? { value: d.toISOString() } : { error: `expected an ISO 8601 date or date-time, got ${JSON.stringify(v)}` };
    }
  }
}

/** True when persona `from` (transitively) references `target`. */
function dependsOn(env: RuleEnv, from: string, target: string, seen = new Set<string>()): boolean {
  if (from === target) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  return [...(env.personas.get(from)?.dependsOn ?? [])].some((s) => dependsOn(env, s, target, seen));
}
