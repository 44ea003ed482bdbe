// The fields rules can test on contacts and profiles, with their types (which decide the
// operators allowed) and the SQL that reads them. `p` is contact_profiles, `c` is contacts.
import type { ValueType } from './rule-types';

export interface FieldDef {
  type: ValueType;
  /** SQL expression; `?` placeholders are filled by `params(now)`. */
  sql: string;
  params?: (now: Date) => unknown[];
  enumValues?: readonly string[];
  description: string;
}

export const LIFECYCLE_STAGES = ['NEW', 'ACTIVE', 'AT_RISK', 'LAPSED'] as const;

const nowParam = (now: Date) => [now];

export const PROFILE_FIELDS: Record<string, FieldDef> = {
  recencyDays: { type: 'NUMBER', sql: 'TIMESTAMPDIFF(DAY, p.last_purchase_at, ?)', params: nowParam, description: 'whole days since the last purchase (missing without purchases)' },
  activityRecencyDays: { type: 'NUMBER', sql: 'TIMESTAMPDIFF(DAY, p.last_activity_at, ?)', params: nowParam, description: 'whole days since the last event, open or click' },
  purchaseCount: { type: 'NUMBER', sql: 'p.purchase_count', description: 'number of purchases' },
  sessionCount: { type: 'NUMBER', sql: 'p.session_count', description: 'number of sessions (events with gaps of at most 30 minutes)' },
  monetaryTotal: { type: 'NUMBER', sql: 'p.monetary_total', description: 'total purchase value' },
  averageOrderValue: { type: 'NUMBER', sql: 'p.average_order_value', description: 'average purchase value' },
  recencyScore: { type: 'NUMBER', sql: 'p.recency_score', description: 'RFM recency quintile 1–5 (5 = most recent)' },
  frequencyScore: { type: 'NUMBER', sql: 'p.frequency_score', description: 'RFM frequency quintile 1–5' },
  monetaryScore: { type: 'NUMBER', sql: 'p.monetary_score', description: 'RFM monetary quintile 1–5' },
  rfmCode: { type: 'STRING', sql: 'p.rfm_code', description: 'the three RFM scores, e.g. "545"' },
  events7d: { type: 'NUMBER', sql: 'p.events_7d', description: 'events in the last 7 days' },
  events30d: { type: 'NUMBER', sql: 'p.events_30d', description: 'events in the last 30 days' },
  events90d: { type: 'NUMBER', sql: 'p.events_90d', description: 'events in the last 90 days' },
  opens30d: { type: 'NUMBER', sql: 'p.opens_30d', description: 'email opens in the last 30 days' },
  opens90d: { type: 'NUMBER', sql: 'p.opens_90d', description: 'email opens in the last 90 days' },
  clicks30d: { type: 'NUMBER', sql: 'p.clicks_30d', description: 'email clicks in the last 30 days' },
  clicks90d: { type: 'NUMBER', sql: 'p.clicks_90d', description: 'email clicks in the last 90 days' },
  preferredHour: { type: 'NUMBER', sql: 'p.preferred_hour', description: 'most active local hour 0–23' },
  lifecycleStage: { type: 'ENUM', sql: 'p.lifecycle_stage', enumValues: LIFECYCLE_STAGES, description: 'NEW, ACTIVE, AT_RISK or LAPSED' },
  topInterest: { type: 'STRING', sql: 'p.top_interest', description: 'category with the highest interest score' },
  lastPurchaseAt: { type: 'DATE', sql: 'p.last_purchase_at', description: 'time of the last purchase' },
  lastActivityAt: { type: 'DATE', sql: 'p.last_activity_at', description: 'time of the last activity' },
  firstSeenAt: { type: 'DATE', sql: 'p.first_seen_at', description: 'creation or first event, whichever is earlier' },
};

export const CONTACT_FIELDS: Record<string, FieldDef> = {
  email: { type: 'STRING', sql: 'c.email_normalized', description: 'normalised email address' },
  emailDomain: { type: 'STRING', sql: "SUBSTRING_INDEX(c.email_normalized, '@', -1)", description: 'domain of the email address' },
  firstName: { type: 'STRING', sql: 'c.first_name', description: 'first name' },
  lastName: { type: 'STRING', sql: 'c.last_name', description: 'last name' },
  locale: { type: 'STRING', sql: 'c.locale', description: 'BCP 47 locale' },
  timezone: { type: 'STRING', sql: 'c.timezone', description: 'IANA time zone' },
  createdAt: { type: 'DATE', sql: 'c.created_at', description: 'when the contact was created' },
  lastSeenAt: { type: 'DATE', sql: 'c.last_seen_at', description: 'time of the latest event' },
};

export const CONSENT_STATUSES = ['UNKNOWN', 'PENDING', 'SUBSCRIBED', 'UNSUBSCRIBED'] as const;
