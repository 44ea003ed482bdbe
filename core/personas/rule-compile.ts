// Compiles a checked persona rule into one SQL condition over `contacts c` (and, when a
// profile field is used, `contact_profiles p`). Every condition is set-based: scalar tests
// on the joined row, or `c.id [NOT] IN (subquery)` over events, interests, scores or
// memberships, so a persona costs one statement whatever the number of contacts.
// Leaves never evaluate to NULL, so NOT inverts exactly (a missing value fails a comparison
// and its negation passes).
import { parseDuration } from './duration';
import { CONTACT_FIELDS, PROFILE_FIELDS } from './rule-fields';
import type { Comparison, EventMatch, PersonaRule, PropertyCondition, Scalar, ValueType } from './rule-types';
import type { RuleEnv } from './rule-env';

export interface CompiledRule {
  where: string;
  params: unknown[];
  /** The condition reads contact_profiles (alias p). */
  usesProfile: boolean;
  /**
   * The same condition split for membersQuery: a grouped subquery every member must be in
   * (a top-level AND term such as "purchased at least 2 times in 30 days") and the other terms.
   * MariaDB cannot turn `c.id IN (… GROUP BY … HAVING …)` into a semi-join, so as a WHERE term
   * it is probed once per contact of the workspace; joined first, only the (usually few)
   * contacts it returns are read (measured on 200k contacts: 0.3 s against 0.75 s or more).
   */
  driver?: { sql: string; params: unknown[]; rest: string; restParams: unknown[] };
}

/** Compiles a rule that checkRule accepted; `now` anchors every relative time window. */
export function compileRule(rule: PersonaRule, env: RuleEnv, args: { workspaceId: number; now: Date }): CompiledRule {
  const params: unknown[] = [];
  let usesProfile = false;
  const ws = args.workspaceId;
  const ago = (duration: string) => new Date(args.now.getTime() - seconds(duration) * 1000);

  function walk(r: PersonaRule): string {
    if ('and' in r) {
      // Cheap row tests first, subqueries last: the server evaluates AND terms in order, so a
      // costly per-contact subquery then runs only for contacts that passed the others.
      const parts = r.and.map((child) => {
        const mark = params.length;
        const sql = walk(child);
        return { sql, params: params.splice(mark), cost: sql.includes('SELECT') ? 1 : 0 };
      });
      parts.sort((a, b) => a.cost - b.cost);
      for (const part of parts) params.push(...part.params);
      return `(${parts.map((part) => part.sql).join(' AND ')})`;
    }
    if ('or' in r) return `(${r.or.map(walk).join(' OR ')})`;
    if ('not' in r) return `(NOT ${walk(r.not)})`;
    if ('consent' in r) return push('c.consent_status IN (?)', [r.consent.in]);
    if ('contact' in r) {
      const f = CONTACT_FIELDS[r.contact.field];
      return compare(f.sql, f.type, r.contact, f.params?.(args.now));
    }
    if ('profile' in r) {
      usesProfile = true;
      const f = PROFILE_FIELDS[r.profile.field];
      return compare(f.sql, f.type, r.profile, f.params?.(args.now));
    }
    if ('attribute' in r) {
      const def = env.attributes.get(r.attribute.key)!;
      return compare(jsonValue('c.attributes', r.attribute.key, def.type), def.type, r.attribute);
    }
    if ('interest' in r) {
      const base = push('SELECT i.contact_id FROM contact_interests i WHERE i.workspace_id = ? AND i.category = ?', [ws, r.interest.category]);
      if (r.interest.op === 'EXISTS' || r.interest.op === 'NOT_EXISTS') return `c.id ${r.interest.op === 'EXISTS' ? '' : 'NOT '}IN (${base})`;
      return measured(base, 'AND', 'i.score', r.interest);
    }
    if ('event' in r) {
      const e = r.event;
      let base = `SELECT e.contact_id FROM events e WHERE ${eventFilter('e', e)}`;
      if (e.within) base += push(' AND e.occurred_at > ?', [ago(e.within)]);
      const cmp = (e.sum ?? e.count)!;
      // "At least once" needs no grouping: a semi-join the optimiser handles well.
      if (!e.sum && ((cmp.op === 'GTE' && cmp.value === 1) || (cmp.op === 'GT' && cmp.value === 0))) return `c.id IN (${base})`;
      // Measured on 200k contacts / 2M events: grouping the window's events once beats a
      // per-contact correlated COUNT (3.7 s against 5.5–13.6 s), whatever the join order.
      return measured(`${base} GROUP BY e.contact_id`, 'HAVING', e.sum ? 'COALESCE(SUM(e.value), 0)' : 'COUNT(*)', cmp);
    }
    if ('sequence' in r) {
      const s = r.sequence;
      const gap = seconds(s.within);
      let sql = `SELECT a.contact_id FROM events a WHERE ${eventFilter('a', s.first)}`;
      if (s.lookback) sql += push(' AND a.occurred_at > ?', [ago(s.lookback)]);
      // "Not followed" is only known once the window has passed.
      if (!s.followed) sql += push(' AND a.occurred_at <= ?', [new Date(args.now.getTime() - gap * 1000)]);
      sql += ` AND ${s.followed ? '' : 'NOT '}EXISTS (SELECT 1 FROM events b WHERE b.contact_id = a.contact_id AND ${eventFilter('b', s.then, false)}`;
      sql += push(' AND b.occurred_at >= a.occurred_at AND b.occurred_at <= DATE_ADD(a.occurred_at, INTERVAL ? SECOND))', [gap]);
      return `c.id IN (${sql})`;
    }
    if ('persona' in r) return push('c.id IN (SELECT m.contact_id FROM persona_members m WHERE m.persona_id = ?)', [env.personas.get(r.persona.slug)!.id]);
    if ('score' in r) {
      const base = push('SELECT s.contact_id FROM contact_scores s WHERE s.workspace_id = ? AND s.target = ? AND ', [ws, r.score.target]);
      return `c.id IN (${base}${compare('s.score', 'NUMBER', r.score)})`;
    }
    if ('scoreTop' in r) {
      return push(
        `c.id IN (SELECT t.contact_id FROM (SELECT s.contact_id, ROW_NUMBER() OVER (ORDER BY s.score DESC, s.contact_id) AS rn, COUNT(*) OVER () AS n
                    FROM contact_scores s WHERE s.workspace_id = ? AND s.target = ?) t WHERE t.rn <= CEIL(t.n * ? / 100))`,
        [ws, r.scoreTop.target, r.scoreTop.percent],
      );
    }
    throw new Error(`unchecked rule node: ${JSON.stringify(r)}`);
  }

  function push(sql: string, values: unknown[]): string {
    params.push(...values);
    return sql;
  }

  /** `c.id IN (base … pred)`, or NOT IN with the negated predicate when 0 (no rows) satisfies it. */
  function measured(base: string, joiner: 'AND' | 'HAVING', expr: string, cmp: Comparison): string {
    const zero = satisfiedByZero(cmp);
    const pred = scalarPredicate(expr, 'NUMBER', cmp);
    return `c.id ${zero ? 'NOT ' : ''}IN (${base} ${joiner} ${zero ? `NOT (${pred})` : pred})`;
  }

  function eventFilter(alias: string, m: EventMatch, withWorkspace = true): string {
    const parts = [withWorkspace ? push(`${alias}.workspace_id = ?`, [ws]) : null, push(`${alias}.type = ?`, [m.type])];
    for (const w of m.where ?? []) parts.push(propertyCondition(alias, w));
    return parts.filter(Boolean).join(' AND ');
  }

  function propertyCondition(alias: string, w: PropertyCondition): string {
    const type: ValueType = typeof (Array.isArray(w.value) ? w.value[0] : w.value) === 'number' || ['GT', 'GTE', 'LT', 'LTE', 'BETWEEN'].includes(w.op) ? 'NUMBER' : typeof w.value === 'boolean' ? 'BOOLEAN' : 'STRING';
    const direct = compare(jsonValue(`${alias}.properties`, w.property, type), type, w);
    // Purchases may list their products in properties.items[]: category and sku match there too.
    if ((w.property === 'category' || w.property === 'sku') && (w.op === 'EQ' || w.op === 'IN')) {
      const values = (w.op === 'EQ' ? [w.value] : (w.value as Scalar[])).map(String);
      const inItems = values.map(() => `JSON_CONTAINS(JSON_EXTRACT(${alias}.properties, '$.items[*].${w.property}'), JSON_QUOTE(?))`).join(' OR ');
      return `(${direct} OR COALESCE(${push(inItems, values)}, 0))`;
    }
    return direct;
  }

  /** A comparison that is never NULL. */
  function compare(expr: string, type: ValueType, cmp: Comparison, exprParams: unknown[] = []): string {
    const pred = scalarPredicate(expr, type, cmp, exprParams);
    return cmp.op === 'EXISTS' || cmp.op === 'NOT_EXISTS' ? pred : `COALESCE(${pred}, 0)`;
  }

  function scalarPredicate(expr: string, type: ValueType, cmp: Comparison, exprParams: unknown[] = []): string {
    const v = (x: Scalar) => (type === 'DATE' ? new Date(String(x)) : type === 'BOOLEAN' && expr.startsWith('JSON_') ? String(x) : x);
    const e = () => push(expr, exprParams);
    const list = cmp.value as Scalar[];
    switch (cmp.op) {
      case 'EXISTS': return `${e()} IS NOT NULL`;
      case 'NOT_EXISTS': return `${e()} IS NULL`;
      case 'EQ': return `${e()} = ${push('?', [v(cmp.value as Scalar)])}`;
      case 'NEQ': return `${e()} <> ${push('?', [v(cmp.value as Scalar)])}`;
      case 'GT': return `${e()} > ${push('?', [v(cmp.value as Scalar)])}`;
      case 'GTE': return `${e()} >= ${push('?', [v(cmp.value as Scalar)])}`;
      case 'LT': return `${e()} < ${push('?', [v(cmp.value as Scalar)])}`;
      case 'LTE': return `${e()} <= ${push('?', [v(cmp.value as Scalar)])}`;
      case 'BETWEEN': return `${e()} BETWEEN ${push('? AND ?', [v(list[0]), v(list[1])])}`;
      case 'IN': return `${e()} IN (${push('?', [list.map(v)])})`;
      case 'NOT_IN': return `${e()} NOT IN (${push('?', [list.map(v)])})`;
      case 'CONTAINS': return `${e()} LIKE ${push("CONCAT('%', ?, '%')", [String(cmp.value).replace(/[\\%_]/g, '\\$&')])}`;
      case 'WITHIN_LAST': return `${e()} > ${push('?', [ago(String(cmp.value))])}`;
      // Never having done it counts as "not within the last …".
      case 'NOT_WITHIN_LAST': { const x = e(); return `(${push(`${x} IS NULL OR ${expr} <= ?`, [...exprParams, ago(String(cmp.value))])})`; }
    }
  }

  const where = walk(rule);
  const whereParams = params.splice(0);
  return { where, params: whereParams, usesProfile, driver: driverOf() };

  function driverOf(): CompiledRule['driver'] {
    const terms = ('and' in rule ? rule.and : [rule]).map((child) => {
      const sql = walk(child);
      return { sql, params: params.splice(0), cost: sql.includes('SELECT') ? 1 : 0 };
    });
    // Grouped subqueries return each contact once, so joining one adds no duplicate rows.
    const at = terms.findIndex((t) => t.sql.startsWith('c.id IN (SELECT e.contact_id FROM events e ') && t.sql.includes(' GROUP BY e.contact_id HAVING '));
    if (at < 0) return undefined;
    const [driver] = terms.splice(at, 1);
    terms.sort((a, b) => a.cost - b.cost);
    return {
      sql: driver.sql.slice('c.id IN ('.length, -1),
      params: driver.params,
      rest: terms.length ? terms.map((t) => t.sql).join(' AND ') : 'TRUE',
      restParams: terms.flatMap((t) => t.params),
    };
  }
}

/** JSON_VALUE of a validated key, cast to the value type (paths must be literals in MySQL). */
function jsonValue(column: string, key: string, type: ValueType): string {
  // JSON true is 1 from MariaDB's JSON_VALUE but "true" from MySQL's; unquoted extraction is "true" in both.
  if (type === 'BOOLEAN') return `JSON_UNQUOTE(JSON_EXTRACT(${column}, '$.${key}'))`;
  const raw = `JSON_VALUE(${column}, '$.${key}')`;
  if (type === 'NUMBER') return `CAST(${raw} AS DOUBLE)`;
  if (type === 'DATE') return `CAST(REPLACE(REPLACE(${raw}, 'T', ' '), 'Z', '') AS DATETIME(3))`;
  return raw;
}

function seconds(duration: string): number {
  const d = parseDuration(duration);
  if ('error' in d) throw new Error(`unchecked duration ${duration}`);
  return d.seconds;
}

/** Whether a contact with no matching rows (a count, sum or score of 0) satisfies the comparison. */
function satisfiedByZero(cmp: Comparison): boolean {
  const v = cmp.value as number;
  const list = cmp.value as number[];
  switch (cmp.op) {
    case 'EQ': return v === 0;
    case 'NEQ': return v !== 0;
    case 'GT': return 0 > v;
    case 'GTE': return 0 >= v;
    case 'LT': return 0 < v;
    case 'LTE': return 0 <= v;
    case 'BETWEEN': return list[0] <= 0 && 0 <= list[1];
    case 'IN': return list.includes(0);
    case 'NOT_IN': return !list.includes(0);
    default: return false;
  }
}

/** The statement selecting member ids of a compiled rule. */
export function membersQuery(compiled: CompiledRule, workspaceId: number): [string, unknown[]] {
  const join = compiled.usesProfile ? 'LEFT JOIN contact_profiles p ON p.contact_id = c.id' : '';
  const d = compiled.driver;
  if (d) {
    return [
      `SELECT c.id FROM (${d.sql}) d STRAIGHT_JOIN contacts c ON c.id = d.contact_id ${join} WHERE c.workspace_id = ? AND ${d.rest}`,
      [...d.params, workspaceId, ...d.restParams],
    ];
  }
  return [`SELECT c.id FROM contacts c ${join} WHERE c.workspace_id = ? AND ${compiled.where}`, [workspaceId, ...compiled.params]];
}
