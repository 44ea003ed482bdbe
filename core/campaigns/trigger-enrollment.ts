// Entering triggered campaigns. EVENT triggers enrol from the event stream (the scanner in
// core/delivery/event-scanner.ts hands each new batch of events here); LIFECYCLE triggers
// enrol contacts whose profile reached a stage. Re-entry rules: ONCE per contact, or at most
// every N days (and never while an earlier entry is still waiting).
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';
import { chunk } from '../db/sql-helpers';
import type { TriggerSpec } from './campaign-input';

export interface ScannedEvent {
  id: bigint;
  workspaceId: number;
  contactId: number;
  type: string;
  value: number | null;
  occurredAt: Date;
}

interface TriggeredCampaign {
  id: number;
  workspaceId: number;
  trigger: TriggerSpec;
  launchedAt: Date;
}

async function activeTriggered(core: CoreContext, workspaceIds: number[], kind: 'EVENT' | 'LIFECYCLE'): Promise<TriggeredCampaign[]> {
  if (!workspaceIds.length) return [];
  const [rows] = await core.db.sql.query<RowDataPacket[]>(
    "SELECT id, workspace_id, `trigger`, launched_at FROM campaigns WHERE type = 'TRIGGERED' AND status = 'ACTIVE' AND workspace_id IN (?)",
    [workspaceIds],
  );
  return rows
    .map((r) => ({ id: r.id, workspaceId: r.workspace_id, trigger: (typeof r.trigger === 'string' ? JSON.parse(r.trigger) : r.trigger) as TriggerSpec, launchedAt: r.launched_at }))
    .filter((c) => c.trigger?.kind === kind);
}

/** May a contact whose last entry was `last` (and `waiting` entries still pending) enter at `at`? */
export function mayEnter(trigger: TriggerSpec, previous: { last: Date | null; waiting: number }, at: Date): boolean {
  if (!previous.last) return true;
  if (trigger.reentry.mode === 'ONCE' || previous.waiting > 0) return false;
  return at.getTime() - previous.last.getTime() >= trigger.reentry.days! * 86_400_000;
}

async function previousEntries(core: CoreContext, campaignIds: number[], contactIds: number[]): Promise<Map<string, { last: Date | null; waiting: number }>> {
  const out = new Map<string, { last: Date | null; waiting: number }>();
  for (const part of chunk([...new Set(contactIds)], 1000)) {
    const [rows] = await core.db.sql.query<RowDataPacket[]>(
      `SELECT campaign_id, contact_id, MAX(entered_at) AS last, SUM(status = 'WAITING') AS waiting
         FROM trigger_enrollments WHERE campaign_id IN (?) AND contact_id IN (?) GROUP BY campaign_id, contact_id`,
      [campaignIds, part],
    );
    for (const r of rows) out.set(`${r.campaign_id}:${r.contact_id}`, { last: r.last, waiting: Number(r.waiting) });
  }
  return out;
}

/** Enrols contacts whose events start an ACTIVE EVENT-triggered campaign; returns how many entered. */
export async function enrollFromEvents(core: CoreContext, events: ScannedEvent[]): Promise<number> {
  const campaigns = await activeTriggered(core, [...new Set(events.map((e) => e.workspaceId))], 'EVENT');
  if (!campaigns.length) return 0;
  const matches: { c: TriggeredCampaign; e: ScannedEvent }[] = [];
  for (const c of campaigns) {
    for (const e of events) {
      // Only what happens after launch: activating a campaign does not replay history.
      if (e.workspaceId === c.workspaceId && e.type === c.trigger.eventType && e.occurredAt >= c.launchedAt) matches.push({ c, e });
    }
  }
  if (!matches.length) return 0;
  const previous = await previousEntries(core, campaigns.map((c) => c.id), matches.map((m) => m.e.contactId));
  const rows: unknown[][] = [];
  for (const { c, e } of matches.sort((a, b) => a.e.occurredAt.getTime() - b.e.occurredAt.getTime())) {
    const key = `${c.id}:${e.contactId}`;
    const prev = previous.get(key) ?? { last: null, waiting: 0 };
    if (!mayEnter(c.trigger, prev, e.occurredAt)) continue;
    previous.set(key, { last: e.occurredAt, waiting: prev.waiting + 1 });
    rows.push([c.workspaceId, c.id, e.contactId, 'WAITING', String(e.id), e.occurredAt, new Date(e.occurredAt.getTime() + c.trigger.delayMinutes * 60_000)]);
  }
  let entered = 0;
  for (const part of chunk(rows, 1000)) {
    // IGNORE: a rescanned event (unique per campaign and event) enrols once.
    const [res] = await core.db.sql.query(
      'INSERT IGNORE INTO trigger_enrollments (workspace_id, campaign_id, contact_id, status, trigger_event_id, entered_at, due_at) VALUES ?',
      [part],
    );
    entered += (res as { affectedRows: number }).affectedRows;
  }
  return entered;
}

/**
 * LIFECYCLE triggers: contacts now in the campaign's stage who may (re-)enter. Contacts already
 * in the stage when the campaign was launched were recorded then as SKIPPED (see
 * baselineLifecycle), so only those who reach the stage afterwards get the message.
 */
export async function enrollLifecycle(core: CoreContext, workspaceIds: number[]): Promise<number> {
  let entered = 0;
  const now = core.now();
  for (const c of await activeTriggered(core, workspaceIds, 'LIFECYCLE')) {
    const days = c.trigger.reentry.mode === 'EVERY_N_DAYS' ? c.trigger.reentry.days! : null;
    const blocked = days === null ? 'TRUE' : "(te.status = 'WAITING' OR te.entered_at > ?)";
    const [res] = await core.db.sql.query(
      `INSERT INTO trigger_enrollments (workspace_id, campaign_id, contact_id, status, entered_at, due_at)
       SELECT cp.workspace_id, ?, cp.contact_id, 'WAITING', ?, ?
         FROM contact_profiles cp
        WHERE cp.workspace_id = ? AND cp.lifecycle_stage = ?
          AND NOT EXISTS (SELECT 1 FROM trigger_enrollments te WHERE te.campaign_id = ? AND te.contact_id = cp.contact_id AND ${blocked})`,
      [c.id, now, new Date(now.getTime() + c.trigger.delayMinutes * 60_000), c.workspaceId, c.trigger.lifecycleStage, c.id, ...(days === null ? [] : [new Date(now.getTime() - days * 86_400_000)])],
    );
    entered += (res as { affectedRows: number }).affectedRows;
  }
  return entered;
}

/** At launch of a LIFECYCLE campaign: contacts already in the stage are recorded as not entering. */
export async function baselineLifecycle(conn: Pick<PoolConnection, 'query'>, args: { campaignId: number; workspaceId: number; stage: string; now: Date }): Promise<void> {
  const { campaignId, workspaceId, stage, now } = args;
  await conn.query(
    `INSERT INTO trigger_enrollments (workspace_id, campaign_id, contact_id, status, entered_at, due_at, exit_reason, processed_at)
     SELECT cp.workspace_id, ?, cp.contact_id, 'SKIPPED', ?, ?, 'already in the stage when the campaign was launched', ?
       FROM contact_profiles cp WHERE cp.workspace_id = ? AND cp.lifecycle_stage = ?`,
    [campaignId, now, now, now, workspaceId, stage],
  );
}

/** Workspaces with ACTIVE LIFECYCLE campaigns (the scheduler polls them). */
export async function workspacesWithLifecycleTriggers(core: CoreContext): Promise<number[]> {
  const [rows] = await core.db.sql.query<RowDataPacket[]>(
    "SELECT DISTINCT workspace_id FROM campaigns WHERE type = 'TRIGGERED' AND status = 'ACTIVE' AND JSON_VALUE(`trigger`, '$.kind') = 'LIFECYCLE'",
  );
  return rows.map((r) => r.workspace_id);
}
