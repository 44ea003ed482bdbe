// The set-based statements that compute profiles, one per feature family. Each fills a
// connection-scoped temporary table keyed by contact_id; compute-profiles.ts joins them into
// contact_profiles. Nothing here loops over contacts: every statement is one pass over the
// workspace's events (or message events) whatever its size.

const DAY_MS = 86_400_000;

/** Reference instants of one computation (all windows end at `asOf`). */
export interface Windows {
  asOf: Date;
  d7: Date;
  d30: Date;
  d90: Date;
  d365: Date;
}

export function windowsAt(asOf: Date): Windows {
  const ago = (days: number) => new Date(asOf.getTime() - days * DAY_MS);
  return { asOf, d7: ago(7), d30: ago(30), d90: ago(90), d365: ago(365) };
}

export type Statement = [sql: string, params: unknown[]];

/**
 * Every statement here reads all of a workspace's events. Left alone, the optimiser likes to
 * walk events_contact_time_idx to avoid a sort and then fetch each row by primary key: with a
 * buffer pool smaller than the table that is millions of random page reads (measured 76 s
 * instead of 3.7 s for one pass over 2M events). The workspace index keeps the read to this
 * workspace's rows in index order.
 */
const EVENTS = 'events USE INDEX (events_workspace_type_time_idx)';

/**
 * Per-contact activity and purchases from events: first/last event, last purchase, counts,
 * revenue, events over 7/30/90 days and sessions (runs of events with gaps ≤ 30 minutes).
 */
export function activityStatement(ws: number, w: Windows): Statement {
  return [
    `CREATE TEMPORARY TABLE tp_activity (PRIMARY KEY (contact_id))
     SELECT contact_id,
            MIN(occurred_at) AS first_event_at,
            MAX(occurred_at) AS last_event_at,
            MAX(CASE WHEN type = 'purchase' THEN occurred_at END) AS last_purchase_at,
            CAST(SUM(type = 'purchase') AS SIGNED) AS purchase_count,
            CAST(COALESCE(SUM(CASE WHEN type = 'purchase' THEN value END), 0) AS DECIMAL(18, 4)) AS monetary_total,
            CAST(SUM(occurred_at > ?) AS SIGNED) AS events_7d,
            CAST(SUM(occurred_at > ?) AS SIGNED) AS events_30d,
            CAST(SUM(occurred_at > ?) AS SIGNED) AS events_90d,
            CAST(SUM(new_session) AS SIGNED) AS session_count
       FROM (SELECT contact_id, type, value, occurred_at,
                    COALESCE(TIMESTAMPDIFF(SECOND, LAG(occurred_at) OVER (PARTITION BY contact_id ORDER BY occurred_at), occurred_at) > 1800, 1) AS new_session
               FROM ${EVENTS} WHERE workspace_id = ? AND occurred_at <= ?) e
      GROUP BY contact_id`,
    [w.d7, w.d30, w.d90, ws, w.asOf],
  ];
}

/** RFM quintile scores among purchasers: 1 + floor(5 × percent rank), so ties share a score. */
export function rfmStatement(w: Windows): Statement {
  const score = (order: string) => `LEAST(5, 1 + FLOOR(5 * PERCENT_RANK() OVER (ORDER BY ${order})))`;
  return [
    `CREATE TEMPORARY TABLE tp_rfm (PRIMARY KEY (contact_id))
     SELECT contact_id,
            ${score('TIMESTAMPDIFF(DAY, last_purchase_at, ?) DESC')} AS r,
            ${score('purchase_count')} AS f,
            ${score('monetary_total')} AS m
       FROM tp_activity WHERE purchase_count > 0`,
    [w.asOf],
  ];
}

/** Opens and clicks from message_events (machine opens excluded when the column exists). */
export function engagementStatement(ws: number, w: Windows, hasMachineFlag: boolean): Statement {
  return [
    `CREATE TEMPORARY TABLE tp_mail (PRIMARY KEY (contact_id))
     SELECT contact_id,
            MAX(occurred_at) AS last_mail_at,
            CAST(SUM(type = 'open' AND occurred_at > ?) AS SIGNED) AS opens_30d,
            CAST(SUM(type = 'open' AND occurred_at > ?) AS SIGNED) AS opens_90d,
            CAST(SUM(type = 'click' AND occurred_at > ?) AS SIGNED) AS clicks_30d,
            CAST(SUM(type = 'click' AND occurred_at > ?) AS SIGNED) AS clicks_90d
       FROM message_events
      WHERE workspace_id = ? AND type IN ('open', 'click') AND occurred_at <= ? ${hasMachineFlag ? 'AND machine = 0' : ''}
      GROUP BY contact_id`,
    [w.d30, w.d90, w.d30, w.d90, ws, w.asOf],
  ];
}

/**
 * The local hour (0–23) with most activity over the last year, ties to the earliest hour.
 * Local time comes from tp_tz (offset ranges per zone, see tz-offsets.ts) for the contact's
 * zone or, without one, the workspace's.
 */
export function preferredHourStatement(ws: number, w: Windows, defaultTz: string, withMail: boolean): Statement {
  const mail = `UNION ALL SELECT contact_id, occurred_at FROM message_events
                 WHERE workspace_id = ? AND type IN ('open', 'click') AND occurred_at > ? AND occurred_at <= ?`;
  return [
    `CREATE TEMPORARY TABLE tp_hour (PRIMARY KEY (contact_id))
     SELECT contact_id, h AS preferred_hour FROM (
       SELECT contact_id, h, ROW_NUMBER() OVER (PARTITION BY contact_id ORDER BY COUNT(*) DESC, h) AS rn
         FROM (SELECT x.contact_id, HOUR(DATE_ADD(x.occurred_at, INTERVAL z.offset_minutes MINUTE)) AS h
                 FROM (SELECT contact_id, occurred_at FROM ${EVENTS} WHERE workspace_id = ? AND occurred_at > ? AND occurred_at <= ?
                       ${withMail ? mail : ''}) x
                 JOIN contacts c ON c.id = x.contact_id
                 JOIN tp_tz z ON z.tz = COALESCE(c.timezone, ?) AND x.occurred_at >= z.from_at AND x.occurred_at < z.to_at) local_hours
        GROUP BY contact_id, h) ranked
      WHERE rn = 1`,
    [ws, w.d365, w.asOf, ...(withMail ? [ws, w.d365, w.asOf] : []), defaultTz],
  ];
}

/**
 * Interest per category over the last year: purchases weigh 3, add_to_cart 2, any other
 * event carrying a category 1, decayed with a 90-day time constant; the score is the
 * category's share of the contact's total, so a contact's scores sum to 1. A purchase's
 * categories come from properties.items[].category when it has items (the events contract puts
 * items on purchases only, which keeps the JSON_TABLE branch to purchase rows), else
 * properties.category.
 */
export function interestsStatements(ws: number, w: Windows): Statement[] {
  const weight = `(CASE type WHEN 'purchase' THEN 3 WHEN 'add_to_cart' THEN 2 ELSE 1 END) * EXP(-TIMESTAMPDIFF(SECOND, occurred_at, ?) / 7776000)`;
  return [
    [
      `CREATE TEMPORARY TABLE tp_interest_raw (PRIMARY KEY (contact_id, category))
       SELECT contact_id, category, SUM(${weight}) AS w,
              CAST(SUM(type <> 'purchase') AS SIGNED) AS views, CAST(SUM(type = 'purchase') AS SIGNED) AS purchases
         FROM (
           SELECT contact_id, type, occurred_at, LEFT(JSON_VALUE(properties, '$.category'), 100) AS category
             FROM ${EVENTS}
            WHERE workspace_id = ? AND occurred_at > ? AND occurred_at <= ? AND properties IS NOT NULL
              AND JSON_VALUE(properties, '$.category') IS NOT NULL AND (type <> 'purchase' OR NOT JSON_CONTAINS_PATH(properties, 'one', '$.items'))
           UNION ALL
           SELECT e.contact_id, e.type, e.occurred_at, LEFT(i.category, 100)
             FROM ${EVENTS.replace('events', 'events e')}, JSON_TABLE(e.properties, '$.items[*]' COLUMNS (category VARCHAR(200) PATH '$.category')) i
            WHERE e.workspace_id = ? AND e.type = 'purchase' AND e.occurred_at > ? AND e.occurred_at <= ? AND e.properties IS NOT NULL
              AND JSON_CONTAINS_PATH(e.properties, 'one', '$.items') AND i.category IS NOT NULL
         ) x
        GROUP BY contact_id, category`,
      [w.asOf, ws, w.d365, w.asOf, ws, w.d365, w.asOf],
    ],
    [
      `CREATE TEMPORARY TABLE tp_interest (PRIMARY KEY (contact_id, category))
       SELECT contact_id, category, w / SUM(w) OVER (PARTITION BY contact_id) AS score, views, purchases,
              ROW_NUMBER() OVER (PARTITION BY contact_id ORDER BY w DESC, category) AS rn
         FROM tp_interest_raw`,
      [],
    ],
  ];
}

/** Event counts per type over 7/30/90 days, written straight into contact_event_counts. */
export function eventCountsStatement(ws: number, w: Windows): Statement {
  return [
    `INSERT INTO contact_event_counts (contact_id, workspace_id, type, count_7d, count_30d, count_90d)
     SELECT contact_id, ?, type, SUM(occurred_at > ?), SUM(occurred_at > ?), COUNT(*)
       FROM ${EVENTS} WHERE workspace_id = ? AND occurred_at > ? AND occurred_at <= ?
      GROUP BY contact_id, type`,
    [ws, w.d7, w.d30, ws, w.d90, w.asOf],
  ];
}

/**
 * Joins the temporary tables into one profile row per contact of the workspace (contacts
 * with no activity get zeros and the stage their creation date gives them).
 */
export function profilesInsertStatement(ws: number, w: Windows, withMail: boolean): Statement {
  const lastActivity = withMail
    ? 'CASE WHEN a.last_event_at IS NULL THEN m.last_mail_at WHEN m.last_mail_at IS NULL THEN a.last_event_at ELSE GREATEST(a.last_event_at, m.last_mail_at) END'
    : 'a.last_event_at';
  const firstSeen = 'LEAST(c.created_at, COALESCE(a.first_event_at, c.created_at))';
  const mail = (col: string) => (withMail ? `COALESCE(m.${col}, 0)` : '0');
  return [
    `INSERT INTO contact_profiles (contact_id, workspace_id, first_seen_at, last_activity_at, last_purchase_at, purchase_count,
        session_count, monetary_total, average_order_value, recency_score, frequency_score, monetary_score, rfm_code,
        events_7d, events_30d, events_90d, opens_30d, opens_90d, clicks_30d, clicks_90d, preferred_hour, lifecycle_stage,
        top_interest, computed_at)
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
            ti.category, ?
       FROM contacts c
       LEFT JOIN tp_activity a ON a.contact_id = c.id
       ${withMail ? 'LEFT JOIN tp_mail m ON m.contact_id = c.id' : ''}
       LEFT JOIN tp_rfm r ON r.contact_id = c.id
       LEFT JOIN tp_hour hr ON hr.contact_id = c.id
       LEFT JOIN tp_interest ti ON ti.contact_id = c.id AND ti.rn = 1
      WHERE c.workspace_id = ?`,
    [w.d30, w.d30, w.d90, w.asOf, ws],
  ];
}

export const TEMP_TABLES = ['tp_activity', 'tp_rfm', 'tp_mail', 'tp_tz', 'tp_hour', 'tp_interest_raw', 'tp_interest'];
