// Association rules from purchase baskets: frequent item sets by FP-growth (node-fpgrowth),
// then every split of a frequent set into antecedent ⇒ consequent that passes the confidence
// and lift thresholds. One basket is one purchase event. A mining run replaces nothing: it
// adds a rule set, and the newest rule set per item key is the one recommendations use.
import type { RowDataPacket } from 'mysql2/promise';
import { FPGrowth } from 'node-fpgrowth';
import type { WorkspaceContext } from '../context';
import { ValidationError, type Issue } from '../errors';
import { chunk, withSqlTransaction } from '../db/sql-helpers';
import { ITEM_KEYS, purchaseItemsSql, type ItemKey } from './basket-items';

export interface MineArgs {
  itemKey?: ItemKey;
  /** Fraction of baskets an item set must appear in (0.001–1). */
  minSupport: number;
  minConfidence: number;
  minLift?: number;
  /** Only purchases since this time. */
  since?: Date | null;
}

export interface MinedRule {
  antecedent: string[];
  consequent: string[];
  support: number;
  confidence: number;
  lift: number;
  count: number;
}

export interface MineResult {
  ruleSetId: number;
  transactions: number;
  frequentItemsets: number;
  rules: MinedRule[];
}

const MAX_RULE_ITEMSET = 5;
const MAX_STORED_RULES = 10_000;

/** Mines and stores association rules for the workspace's purchases. */
export async function mineAssociationRules(ctx: WorkspaceContext, args: MineArgs): Promise<MineResult> {
  const itemKey = args.itemKey ?? 'sku';
  const minLift = args.minLift ?? 1;
  const issues: Issue[] = [];
  if (!ITEM_KEYS.includes(itemKey)) issues.push({ path: ['itemKey'], message: `expected one of ${ITEM_KEYS.join(', ')}` });
  if (!(args.minSupport >= 0.001 && args.minSupport <= 1)) issues.push({ path: ['minSupport'], message: 'must be between 0.001 and 1' });
  if (!(args.minConfidence > 0 && args.minConfidence <= 1)) issues.push({ path: ['minConfidence'], message: 'must be above 0 and at most 1' });
  if (!(minLift >= 0 && Number.isFinite(minLift))) issues.push({ path: ['minLift'], message: 'must be a finite number ≥ 0' });
  if (args.since && Number.isNaN(args.since.getTime())) issues.push({ path: ['since'], message: 'not a valid date-time' });
  if (issues.length) throw new ValidationError('invalid mining request; nothing was run', issues);

  const baskets = await loadBaskets(ctx, itemKey, args.since ?? null);
  const n = baskets.length;
  const itemsets = n ? await new FPGrowth<string>(args.minSupport).exec(baskets) : [];
  const rules = rulesFrom(itemsets, n, args.minConfidence, minLift);

  const ruleSetId = await withSqlTransaction(ctx.db.sql, async (conn) => {
    const [res] = await conn.query(
      'INSERT INTO association_rule_sets (workspace_id, item_key, min_support, min_confidence, min_lift, transactions, mined_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [ctx.workspaceId, itemKey, args.minSupport, args.minConfidence, minLift, n, ctx.now()],
    );
    const id = (res as { insertId: number }).insertId;
    for (const part of chunk(rules.slice(0, MAX_STORED_RULES), 1000)) {
      await conn.query('INSERT INTO association_rules (rule_set_id, workspace_id, antecedent, consequent, support, confidence, lift, count) VALUES ?', [
        part.map((r) => [id, ctx.workspaceId, JSON.stringify(r.antecedent), JSON.stringify(r.consequent), r.support, r.confidence, r.lift, r.count]),
      ]);
    }
    return id;
  });
  return { ruleSetId, transactions: n, frequentItemsets: itemsets.length, rules };
}

/** Distinct items per purchase event, read in one statement. */
async function loadBaskets(ctx: WorkspaceContext, key: ItemKey, since: Date | null): Promise<string[][]> {
  const [sql, params] = purchaseItemsSql(key, `e.workspace_id = ?${since ? ' AND e.occurred_at >= ?' : ''}`, since ? [ctx.workspaceId, since] : [ctx.workspaceId]);
  const [rows] = await ctx.db.sql.query<RowDataPacket[]>(sql, params);
  const byEvent = new Map<string, Set<string>>();
  for (const r of rows) {
    const id = String(r.event_id);
    let set = byEvent.get(id);
    if (!set) byEvent.set(id, (set = new Set()));
    set.add(String(r.item));
  }
  return [...byEvent.values()].map((s) => [...s]);
}

/** Every antecedent ⇒ consequent split of the frequent sets (up to 5 items) that passes the thresholds. */
export function rulesFrom(itemsets: { items: string[]; support: number }[], transactions: number, minConfidence: number, minLift: number): MinedRule[] {
  const key = (items: string[]) => [...items].sort().join('\u0001');
  const count = new Map(itemsets.map((s) => [key(s.items), s.support]));
  const rules: MinedRule[] = [];
  for (const set of itemsets) {
    const items = [...set.items].sort();
    if (items.length < 2 || items.length > MAX_RULE_ITEMSET) continue;
    // Every non-empty proper subset is an antecedent; subsets of a frequent set are frequent.
    for (let mask = 1; mask < (1 << items.length) - 1; mask++) {
      const antecedent = items.filter((_, i) => mask & (1 << i));
      const consequent = items.filter((_, i) => !(mask & (1 << i)));
      const confidence = set.support / count.get(key(antecedent))!;
      const lift = confidence / (count.get(key(consequent))! / transactions);
      if (confidence >= minConfidence && lift >= minLift) {
        rules.push({ antecedent, consequent, support: set.support / transactions, confidence, lift, count: set.support });
      }
    }
  }
  return rules.sort((a, b) => b.lift - a.lift || b.confidence - a.confidence || b.count - a.count);
}
