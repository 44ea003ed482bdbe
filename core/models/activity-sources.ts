// Where behaviour lives. Site and shop behaviour is in `events` (foundation); email opens and
// clicks are in `message_events` (campaigns and delivery, see docs/data-contracts.md). That
// table belongs to another domain and may not exist in every deployment yet, so its presence
// is checked (and cached briefly) instead of assumed. Opens flagged `machine` (Apple Mail
// Privacy Protection prefetches, link scanners) are not behaviour and are left out.
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';
import type { ModelTargetKind } from './model-targets';
import type { PropertyFilter } from './property-filters';

/** The rows whose occurrence makes a target's label positive. */
export interface TargetSignal {
  table: 'events' | 'message_events';
  type: string;
  filters: PropertyFilter[];
}

/** The signal of a target, or null for CHURN (whose label is the absence of any activity). */
export function targetSignal(t: { kind: ModelTargetKind; eventType: string | null; propertyFilters: PropertyFilter[] }): TargetSignal | null {
  switch (t.kind) {
    case 'PURCHASE': return { table: 'events', type: 'purchase', filters: [] };
    case 'OPEN': return { table: 'message_events', type: 'open', filters: [] };
    case 'CLICK': return { table: 'message_events', type: 'click', filters: [] };
    case 'EVENT': return { table: 'events', type: t.eventType!, filters: t.propertyFilters };
    case 'CHURN': return null;
  }
}

const CACHE_MS = 60_000;
let cached: { at: number; present: boolean; pool: unknown } | null = null;

/** True when the `message_events` table exists in the connected database. */
export async function hasMessageEvents(core: CoreContext): Promise<boolean> {
  const now = Date.now();
  if (cached && cached.pool === core.db.sql && now - cached.at < CACHE_MS) return cached.present;
  const [rows] = await core.db.sql.query<RowDataPacket[]>(
    "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'message_events' LIMIT 1",
  );
  cached = { at: now, present: rows.length > 0, pool: core.db.sql };
  return cached.present;
}
