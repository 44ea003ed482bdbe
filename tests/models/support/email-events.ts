// Email opens and clicks as the campaigns domain records them (message_events, one message per
// recipient), inserted directly with the columns that table requires, for OPEN/CLICK targets.
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../../../core/context';

export async function insertEmailEvents(
  ctx: WorkspaceContext,
  events: { contactId: number; type: 'open' | 'click'; at: Date; machine?: boolean }[],
): Promise<void> {
  const sql = ctx.db.sql;
  const [campaign] = await sql.query('INSERT INTO campaigns (workspace_id, name, from_email) VALUES (?, ?, ?)', [ctx.workspaceId, 'model test', 'shop@example.com']);
  const campaignId = (campaign as { insertId: number }).insertId;
  const contacts = [...new Set(events.map((e) => e.contactId))];
  await sql.query('INSERT INTO messages (workspace_id, campaign_id, contact_id, email, send_at) VALUES ?', [
    contacts.map((c) => [ctx.workspaceId, campaignId, c, `c${c}@example.com`, new Date(0)]),
  ]);
  const [messages] = await sql.query<RowDataPacket[]>('SELECT id, contact_id FROM messages WHERE campaign_id = ?', [campaignId]);
  const messageOf = new Map(messages.map((m) => [Number(m.contact_id), m.id]));
  await sql.query('INSERT INTO message_events (workspace_id, message_id, campaign_id, contact_id, type, occurred_at, source, machine) VALUES ?', [
    events.map((e) => [ctx.workspaceId, messageOf.get(e.contactId), campaignId, e.contactId, e.type, e.at, 'pixel', e.machine ? 1 : 0]),
  ]);
}
