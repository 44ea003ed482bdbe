// Items of purchases, for association rules and recommendations: a purchase's products are
// properties.items[].<key> when it lists items, else properties.<key> (data contract of events).
export type ItemKey = 'sku' | 'category';
export const ITEM_KEYS: readonly ItemKey[] = ['sku', 'category'];

/**
 * SQL selecting (event_id, contact_id, item) for the purchases matching `filter` (a condition
 * on events alias `e`, repeated for both branches with `params` each time).
 */
export function purchaseItemsSql(key: ItemKey, filter: string, params: unknown[]): [string, unknown[]] {
  const sql = `
    SELECT e.id AS event_id, e.contact_id, LEFT(JSON_VALUE(e.properties, '$.${key}'), 191) AS item
      FROM events e
     WHERE e.type = 'purchase' AND ${filter} AND e.properties IS NOT NULL
       AND NOT JSON_CONTAINS_PATH(e.properties, 'one', '$.items') AND JSON_VALUE(e.properties, '$.${key}') IS NOT NULL
    UNION ALL
    SELECT e.id, e.contact_id, LEFT(i.item, 191)
      FROM events e, JSON_TABLE(e.properties, '$.items[*]' COLUMNS (item VARCHAR(255) PATH '$.${key}')) i
     WHERE e.type = 'purchase' AND ${filter} AND e.properties IS NOT NULL
       AND JSON_CONTAINS_PATH(e.properties, 'one', '$.items') AND i.item IS NOT NULL`;
  return [sql, [...params, ...params]];
}
