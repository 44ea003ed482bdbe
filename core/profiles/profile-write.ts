// Writes the computed families into contact_profiles, contact_event_counts and
// contact_interests, inside one transaction (compute-profiles.ts). Instead of deleting a
// workspace's rows and inserting them again (a delete and an insert in every index for each
// of 1.3M rows at 200k contacts), rows that no longer exist are deleted, and only new or
// changed rows are written: between two runs most count and interest rows are unchanged, and
// finding that out is a read. Rows are written in primary-key order, which keeps the page
// accesses sequential when the tables do not fit in the buffer pool.
import type { Statement, Windows } from './profile-sql';

/**
 * Interest scores are rounded to 12 decimals: a later `asOf` scales every weight of a contact
 * by the same factor, so the shares are the same but differ in their last bits, and an
 * unrounded score would rewrite (and re-index) every row on every run.
 */
const SCORE_DECIMALS = 12;

/**
 * One profile row per contact of the workspace (contacts with no activity get zeros and the
 * stage their creation date gives them). A profile is never stale: deleting a contact
 * deletes it (foreign key).
 */
export function profilesUpsertStatement(ws: number, w: Windows, withMail: boolean): Statement {
  const lastActivity = withMail
    ? 'CASE WHEN a.last_event_at IS NULL THEN m.last_mail_at WHEN m.last_mail_at IS NULL THEN a.last_event_at ELSE GREATEST(a.last_event_at, m.last_mail_at) END'
    : 'a.last_event_at';
  const firstSeen = 'LEAST(c.created_at, COALESCE(a.first_event_at, c.created_at))';
  const mail = (col: string) => (withMail ? `COALESCE(m.${col}, 0)` : '0');
  const columns = [
    'first_seen_at', 'last_activity_at', 'last_purchase_at', 'purchase_count', 'session_count', 'monetary_total', 'average_order_value',
    'recency_score', 'frequency_score', 'monetary_score', 'rfm_code', 'events_7d', 'events_30d', 'events_90d',
    'opens_30d', 'opens_90d', 'clicks_30d', 'clicks_90d', 'preferred_hour', 'lifecycle_stage', 'top_interest', 'computed_at',
  ];
  return [
    `INSERT INTO contact_profiles (contact_id, workspace_id, ${columns.join(', ')})
     SELECT c.id, c.workspace_id, ${firstSeen}, ${lastActivity}, a.last_purchase_at, COALESCE(a.purchase_count, 0),
            COALESCE(a.session_count, 0), COALESCE(a.monetary_total, 0),
            CASE WHEN a.purchase_count > 0 THEN a.monetary_total / a.purchase_count END,
            r.r, r.f, r.m, CASE WHEN r.contact_id IS NOT NULL THEN CONCAT(r.r, r.f, r.m) END,
            COALESCE(a.events_7d, 0), COALESCE(a.events_30d, 0), COALESCE(a.events_90d, 0),
            ${mail('opens_30d')}, ${mail('opens_90d')}, ${mail('clicks_30d')}, ${mail('clicks_90d')},
            hr.preferred_hour,
            CASE WHEN ${firstSeen} > ? THEN 'NEW'
                 WHEN ${lastActivity} > ? THEN 'ACTIVE'
                 WHEN ${lastActivity} > ? THEN 'AT_RISK'
                 ELSE 'LAPSED' END,
            k.category, ?
       FROM contacts c
       LEFT JOIN tp_activity a ON a.contact_id = c.id
       ${withMail ? 'LEFT JOIN tp_mail m ON m.contact_id = c.id' : ''}
       LEFT JOIN tp_rfm r ON r.contact_id = c.id
       LEFT JOIN tp_hour hr ON hr.contact_id = c.id
       LEFT JOIN tp_itop ti ON ti.contact_id = c.id
       LEFT JOIN tp_cat k ON k.cat_id = ti.cat_id
      WHERE c.workspace_id = ?
      ORDER BY c.id
     ON DUPLICATE KEY UPDATE ${columns.map((col) => `${col} = VALUES(${col})`).join(', ')}`,
    [w.d30, w.d30, w.d90, w.asOf, ws],
  ];
}

/** contact_event_counts: per type over 7/30/90 days, for types seen in the last 90 days. */
export function eventCountsStatements(ws: number): Statement[] {
  return [
    [
      `DELETE ec FROM tp_cz z STRAIGHT_JOIN contact_event_counts ec ON ec.contact_id = z.contact_id
         LEFT JOIN tp_types t ON t.type = ec.type
         LEFT JOIN tp_ct ct ON ct.contact_id = ec.contact_id AND ct.type_id = t.type_id AND ct.n90 > 0
        WHERE ct.contact_id IS NULL`,
      [],
    ],
    [
      `INSERT INTO contact_event_counts (contact_id, workspace_id, type, count_7d, count_30d, count_90d)
       SELECT ct.contact_id, ?, t.type, ct.n7, ct.n30, ct.n90
         FROM tp_ct ct JOIN tp_types t ON t.type_id = ct.type_id
         LEFT JOIN contact_event_counts cur ON cur.contact_id = ct.contact_id AND cur.type = t.type
        WHERE ct.n90 > 0 AND NOT (cur.count_7d <=> ct.n7 AND cur.count_30d <=> ct.n30 AND cur.count_90d <=> ct.n90)
        ORDER BY ct.contact_id
       ON DUPLICATE KEY UPDATE count_7d = VALUES(count_7d), count_30d = VALUES(count_30d), count_90d = VALUES(count_90d)`,
      [ws],
    ],
  ];
}

/** contact_interests: score (share of the contact's weight), views and purchases per category. */
export function interestsStatements(ws: number): Statement[] {
  return [
    [
      `DELETE i FROM tp_cz z STRAIGHT_JOIN contact_interests i ON i.contact_id = z.contact_id
         LEFT JOIN tp_cat k ON k.category = i.category
         LEFT JOIN tp_iraw r ON r.contact_id = i.contact_id AND r.cat_id = k.cat_id
        WHERE r.contact_id IS NULL`,
      [],
    ],
    [
      `INSERT INTO contact_interests (contact_id, workspace_id, category, score, views, purchases)
       SELECT r.contact_id, ?, k.category, ROUND(r.w / t.total, ${SCORE_DECIMALS}) AS score, r.views, r.purchases
         FROM tp_iraw r JOIN tp_itot t ON t.contact_id = r.contact_id JOIN tp_cat k ON k.cat_id = r.cat_id
         LEFT JOIN contact_interests cur ON cur.contact_id = r.contact_id AND cur.category = k.category
        WHERE NOT (cur.score <=> ROUND(r.w / t.total, ${SCORE_DECIMALS}) AND cur.views <=> r.views AND cur.purchases <=> r.purchases)
        ORDER BY r.contact_id, r.cat_id
       ON DUPLICATE KEY UPDATE score = VALUES(score), views = VALUES(views), purchases = VALUES(purchases)`,
      [ws],
    ],
  ];
}
