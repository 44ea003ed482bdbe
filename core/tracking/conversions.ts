// Conversion attribution: an event of the workspace's configured type (default `purchase`)
// within N days (default 5) after a click on a campaign message is a conversion of that
// message (the most recent click wins), with the event's value as revenue.
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';
import { chunk } from '../db/sql-helpers';
import { parseWorkspaceSettings } from '../workspaces/workspace-settings';
import { applyMessageEvents, type MessageEventInput } from '../delivery/message-events';
import type { ScannedEvent } from '../campaigns/trigger-enrollment';

/** Attributes conversions for a batch of new events; returns how many were recorded. */
export async function attributeConversions(core: CoreContext, events: ScannedEvent[]): Promise<number> {
  const workspaceIds = [...new Set(events.map((e) => e.workspaceId))];
  if (!workspaceIds.length) return 0;
  const [wsRows] = await core.db.sql.query<RowDataPacket[]>('SELECT id, settings FROM workspaces WHERE id IN (?)', [workspaceIds]);
  const settings = new Map(wsRows.map((w) => [w.id, parseWorkspaceSettings(typeof w.settings === 'string' ? JSON.parse(w.settings) : w.settings)]));
  const candidates = events.filter((e) => settings.get(e.workspaceId)?.conversionEvent === e.type);
  if (!candidates.length) return 0;

  const maxWindowMs = Math.max(...candidates.map((e) => settings.get(e.workspaceId)!.conversionWindowDays)) * 86_400_000;
  const earliest = new Date(Math.min(...candidates.map((e) => e.occurredAt.getTime())) - maxWindowMs);
  const clicks = new Map<number, { id: bigint; workspaceId: number; clickedAt: Date }[]>();
  for (const part of chunk([...new Set(candidates.map((e) => e.contactId))], 1000)) {
    const [rows] = await core.db.sql.query<RowDataPacket[]>(
      'SELECT id, workspace_id, contact_id, clicked_at FROM messages WHERE contact_id IN (?) AND clicked_at >= ?',
      [part, earliest],
    );
    for (const r of rows) clicks.set(r.contact_id, [...(clicks.get(r.contact_id) ?? []), { id: BigInt(r.id), workspaceId: r.workspace_id, clickedAt: r.clicked_at }]);
  }
  const byWorkspace = new Map<number, MessageEventInput[]>();
  for (const e of candidates) {
    const windowMs = settings.get(e.workspaceId)!.conversionWindowDays * 86_400_000;
    const last = (clicks.get(e.contactId) ?? [])
      .filter((c) => c.workspaceId === e.workspaceId && c.clickedAt <= e.occurredAt && e.occurredAt.getTime() - c.clickedAt.getTime() <= windowMs)
      .sort((a, b) => b.clickedAt.getTime() - a.clickedAt.getTime())[0];
    if (!last) continue;
    const list = byWorkspace.get(e.workspaceId) ?? [];
    list.push({ messageId: last.id, type: 'conversion', occurredAt: e.occurredAt, source: 'attribution', dedupeKey: `conversion:${e.id}`, value: e.value });
    byWorkspace.set(e.workspaceId, list);
  }
  let recorded = 0;
  for (const [workspaceId, list] of byWorkspace) recorded += (await applyMessageEvents(core, workspaceId, list)).applied;
  return recorded;
}
