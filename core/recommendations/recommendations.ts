// Product suggestions for one contact, from three signals in order of strength: association
// rules whose antecedent the contact has bought, what members of the contact's personas buy,
// and the workspace's recent best sellers as a fallback. Items already bought are never
// suggested. Each suggestion says why, so email copy can use it ("because you bought …").
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { ValidationError } from '../errors';
import { getContact } from '../contacts/contacts.service';
import { ITEM_KEYS, purchaseItemsSql, type ItemKey } from './basket-items';

export interface Recommendation {
  item: string;
  /** 0–1, comparable within one answer. */
  score: number;
  source: 'rules' | 'persona' | 'popular';
  reason: string;
}

export const MAX_RECOMMENDATIONS = 50;
const PERSONA_WINDOW_DAYS = 180;
const POPULAR_WINDOW_DAYS = 90;

/** Up to `n` items the contact has not bought, best first. */
export async function recommendations(ctx: WorkspaceContext, args: { contactId: number; n: number; itemKey?: ItemKey }): Promise<Recommendation[]> {
  const itemKey = args.itemKey ?? 'sku';
  if (!Number.isInteger(args.n) || args.n < 1 || args.n > MAX_RECOMMENDATIONS) throw ValidationError.at(['n'], `must be from 1 to ${MAX_RECOMMENDATIONS}`);
  if (!ITEM_KEYS.includes(itemKey)) throw ValidationError.at(['itemKey'], `expected one of ${ITEM_KEYS.join(', ')}`);
  await getContact(ctx, args.contactId);
  const ws = ctx.workspaceId;

  const [boughtSql, boughtParams] = purchaseItemsSql(itemKey, 'e.contact_id = ?', [args.contactId]);
  const [boughtRows] = await ctx.db.sql.query<RowDataPacket[]>(`SELECT DISTINCT item FROM (${boughtSql}) b`, boughtParams);
  const bought = new Set(boughtRows.map((r) => String(r.item)));
  const best = new Map<string, Recommendation>();
  const offer = (r: Recommendation) => {
    if (bought.has(r.item)) return;
    const cur = best.get(r.item);
    if (!cur || rank(r) > rank(cur)) best.set(r.item, r);
  };

  // 1. Rules of the newest rule set whose whole antecedent the contact bought.
  if (bought.size) {
    const [rules] = await ctx.db.sql.query<RowDataPacket[]>(
      `SELECT r.antecedent, r.consequent, r.confidence, r.lift FROM association_rules r
        WHERE r.rule_set_id = (SELECT id FROM association_rule_sets WHERE workspace_id = ? AND item_key = ? ORDER BY mined_at DESC, id DESC LIMIT 1)
        ORDER BY r.lift DESC LIMIT 5000`,
      [ws, itemKey],
    );
    for (const r of rules) {
      const antecedent = json(r.antecedent);
      if (!antecedent.every((i) => bought.has(i))) continue;
      for (const item of json(r.consequent)) {
        offer({ item, score: Number(r.confidence), source: 'rules', reason: `bought together with ${antecedent.join(' + ')} (confidence ${Number(r.confidence).toFixed(2)}, lift ${Number(r.lift).toFixed(1)})` });
      }
    }
  }

  // 2. Share of the contact's persona-mates who bought each item lately.
  const [personas] = await ctx.db.sql.query<RowDataPacket[]>(
    'SELECT p.id, p.name, p.member_count FROM persona_members pm JOIN personas p ON p.id = pm.persona_id WHERE pm.workspace_id = ? AND pm.contact_id = ? AND p.member_count > 1',
    [ws, args.contactId],
  );
  if (personas.length) {
    const ids = personas.map((p) => Number(p.id));
    const since = new Date(ctx.now().getTime() - PERSONA_WINDOW_DAYS * 86_400_000);
    const [peerSql, peerParams] = purchaseItemsSql(itemKey, 'e.contact_id IN (SELECT m.contact_id FROM persona_members m WHERE m.persona_id IN (?)) AND e.occurred_at >= ?', [ids, since]);
    const [peers] = await ctx.db.sql.query<RowDataPacket[]>(
      `SELECT pm.persona_id, x.item, COUNT(DISTINCT x.contact_id) AS buyers
         FROM (${peerSql}) x JOIN persona_members pm ON pm.contact_id = x.contact_id AND pm.persona_id IN (?)
        GROUP BY pm.persona_id, x.item ORDER BY buyers DESC LIMIT 200`,
      [...peerParams, ids],
    );
    const byId = new Map(personas.map((p) => [Number(p.id), p]));
    for (const r of peers) {
      const persona = byId.get(Number(r.persona_id))!;
      const share = Number(r.buyers) / Number(persona.member_count);
      offer({ item: String(r.item), score: Math.min(1, share), source: 'persona', reason: `popular with "${persona.name}" (${Math.round(share * 100)}% bought it)` });
    }
  }

  // 3. Best sellers, to fill the list for contacts with little history.
  if (best.size < args.n) {
    const [popSql, popParams] = purchaseItemsSql(itemKey, 'e.workspace_id = ? AND e.occurred_at >= ?', [ws, new Date(ctx.now().getTime() - POPULAR_WINDOW_DAYS * 86_400_000)]);
    const [popular] = await ctx.db.sql.query<RowDataPacket[]>(
      `SELECT item, COUNT(DISTINCT contact_id) AS buyers, (SELECT COUNT(*) FROM contacts WHERE workspace_id = ?) AS total FROM (${popSql}) x GROUP BY item ORDER BY buyers DESC, item LIMIT ?`,
      [ws, ...popParams, args.n + bought.size],
    );
    for (const r of popular) offer({ item: String(r.item), score: 0.5 * (Number(r.buyers) / Math.max(1, Number(r.total))), source: 'popular', reason: `a best seller (${r.buyers} buyers in ${POPULAR_WINDOW_DAYS} days)` });
  }
  return [...best.values()].sort((a, b) => rank(b) - rank(a) || a.item.localeCompare(b.item)).slice(0, args.n);
}

const SOURCE_WEIGHT = { rules: 2, persona: 1, popular: 0 };
/** Rules beat persona popularity, which beats best sellers; within a source, the score decides. */
function rank(r: Recommendation): number {
  return SOURCE_WEIGHT[r.source] + r.score;
}

function json(v: unknown): string[] {
  return (typeof v === 'string' ? JSON.parse(v) : v) as string[];
}
