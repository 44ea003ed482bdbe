// The one read of a workspace's events that every profile family is computed from. Reading
// events is what a recomputation costs when the table does not fit in the buffer pool: the
// previous formulation read them five times (activity, preferred hour, interests ×2, counts),
// each time through an index and a primary-key lookup per row. Here they are read once into
// tp_ev, a narrow scratch table (contact, type, time, value, and the category fields of the
// last year), and the families then work on tp_ev and on small dictionaries of its distinct
// event types and categories, so that their GROUP BY and window steps handle integers.
import type { Statement, Windows } from './profile-sql';

/**
 * Restricts the read to the workspace index or a table scan (the optimiser picks by the
 * workspace's share of the table). Left alone, it may walk a per-contact index and fetch each
 * row by primary key: with a buffer pool smaller than the table that is millions of random page
 * reads (76 s instead of 3.7 s measured for one pass over 2M events).
 */
const EVENTS = 'events e USE INDEX (events_workspace_type_time_idx)';

/**
 * The storage engine for tp_ev, whose category fields are variable-length. MariaDB's MEMORY
 * engine stores VARCHAR at full width (400 bytes for VARCHAR(100) in utf8mb4) and InnoDB
 * scratch tables compete with the events themselves for the buffer pool; Aria (MariaDB only)
 * stores them compactly in its own page cache. Elsewhere (MySQL 8) InnoDB.
 */
export function scratchEngine(serverVersion: string): string {
  return /mariadb/i.test(serverVersion) ? 'ENGINE=Aria TRANSACTIONAL=0' : 'ENGINE=InnoDB';
}

/**
 * tp_ev: every event of the workspace up to `asOf`. `kind` is 1 for purchases and 2 for
 * add_to_cart (compared like events.type, case-insensitively). For events of the last year,
 * `category` is properties.category, except for purchases listing items, whose categories are
 * kept in `item_categories` (the JSON array of properties.items[].category) instead: the
 * events contract puts items on purchases only.
 */
export function eventScanStatements(ws: number, w: Windows, engine: string): Statement[] {
  const hasItems = `e.type = 'purchase' AND JSON_CONTAINS_PATH(e.properties, 'one', '$.items')`;
  return [
    [
      `CREATE TEMPORARY TABLE tp_ev (
         contact_id INT NOT NULL, type VARCHAR(64) NOT NULL, kind TINYINT UNSIGNED NOT NULL, occurred_at DATETIME(3) NOT NULL,
         value DECIMAL(18, 4) NULL, category VARCHAR(100) NULL, item_categories LONGTEXT NULL
       ) ${engine} DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
      [],
    ],
    [
      `INSERT INTO tp_ev (contact_id, type, kind, occurred_at, value, category, item_categories)
       SELECT e.contact_id, e.type, CASE WHEN e.type = 'purchase' THEN 1 WHEN e.type = 'add_to_cart' THEN 2 ELSE 0 END, e.occurred_at, e.value,
              CASE WHEN e.properties IS NULL OR e.occurred_at <= ? OR (${hasItems}) THEN NULL
                   ELSE LEFT(JSON_VALUE(e.properties, '$.category'), 100) END,
              CASE WHEN e.properties IS NOT NULL AND e.occurred_at > ? AND ${hasItems}
                   THEN JSON_EXTRACT(e.properties, '$.items[*].category') END
         FROM ${EVENTS}
        WHERE e.workspace_id = ? AND e.occurred_at <= ?`,
      [w.d365, w.d365, ws, w.asOf],
    ],
  ];
}

/**
 * tp_types: the distinct event types (as contact_event_counts keys them: case-insensitively),
 * numbered, so that per-type steps group integers rather than VARCHAR(64) strings, which
 * internal MEMORY tables would hold at full width.
 */
export function typeDictionaryStatements(): Statement[] {
  return [
    [
      `CREATE TEMPORARY TABLE tp_types (
         type_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, type VARCHAR(64) NOT NULL, kind TINYINT UNSIGNED NOT NULL, UNIQUE KEY (type)
       ) ENGINE=MEMORY DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
      [],
    ],
    ['INSERT INTO tp_types (type, kind) SELECT type, MAX(kind) FROM tp_ev GROUP BY type', []],
  ];
}

/**
 * tp_cat: the distinct categories of the last year, numbered in name order (so the smallest
 * id breaks a tie for the top interest, as the name did) and compared as contact_interests
 * keys them, case-insensitively: "Shoes" and "shoes" are one interest.
 */
export function categoryDictionaryStatements(): Statement[] {
  const table = (columns: string) => `(${columns}) ENGINE=MEMORY DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`;
  return [
    [`CREATE TEMPORARY TABLE tp_catname ${table('category VARCHAR(100) NOT NULL PRIMARY KEY')}`, []],
    ['INSERT IGNORE INTO tp_catname (category) SELECT DISTINCT category FROM tp_ev WHERE category IS NOT NULL', []],
    [
      `INSERT IGNORE INTO tp_catname (category)
       SELECT DISTINCT LEFT(i.category, 100) FROM tp_ev e, ${itemCategories('e')}
        WHERE e.item_categories IS NOT NULL AND i.category IS NOT NULL`,
      [],
    ],
    [`CREATE TEMPORARY TABLE tp_cat ${table('cat_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, category VARCHAR(100) NOT NULL, UNIQUE KEY (category)')}`, []],
    ['INSERT INTO tp_cat (category) SELECT category FROM tp_catname ORDER BY category', []],
  ];
}

/** One row per category listed by a purchase's items (`i.category`). */
export function itemCategories(alias: string): string {
  return `JSON_TABLE(${alias}.item_categories, '$[*]' COLUMNS (category VARCHAR(200) PATH '$')) i`;
}
