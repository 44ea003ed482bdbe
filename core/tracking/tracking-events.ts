// What the public tracking endpoints do: verify the token, find the message, record the event.
// Anything not genuine (malformed, unknown key, bad MAC, no such message or link) is null,
// which the routes answer with 404 and without recording anything.
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';
import { applyMessageEvents } from '../delivery/message-events';
import { verifyToken } from './tracking-tokens';
import { resolveTrackedLink } from './tracked-links';
import { isMachineFetch } from './machine-open';

export interface RequestMeta {
  userAgent: string | null;
  ip: string | null;
  method: string;
}

interface TrackedMessage {
  id: bigint;
  workspaceId: number;
  campaignId: number;
  email: string;
  sentAt: Date | null;
}

async function findMessage(core: CoreContext, id: bigint): Promise<TrackedMessage | null> {
  const [[row]] = await core.db.sql.query<RowDataPacket[]>('SELECT id, workspace_id, campaign_id, email, sent_at FROM messages WHERE id = ?', [String(id)]);
  return row ? { id: BigInt(row.id), workspaceId: row.workspace_id, campaignId: row.campaign_id, email: row.email, sentAt: row.sent_at } : null;
}

/** Records an open for a genuine open token; false otherwise. */
export async function recordOpen(core: CoreContext, token: string, meta: RequestMeta): Promise<boolean> {
  const claims = await verifyToken(core, token, 'open');
  const message = claims && (await findMessage(core, claims.messageId));
  if (!message) return false;
  const at = core.now();
  await applyMessageEvents(core, message.workspaceId, [{
    messageId: message.id, type: 'open', occurredAt: at, source: 'pixel', userAgent: meta.userAgent,
    machine: isMachineFetch({ ...meta, sentAt: message.sentAt, at }),
  }]);
  return true;
}

/** Records a click and returns where to send the browser: a URL the message contained, or null. */
export async function recordClick(core: CoreContext, token: string, meta: RequestMeta): Promise<string | null> {
  const claims = await verifyToken(core, token, 'click');
  const message = claims && (await findMessage(core, claims.messageId));
  if (!message) return null;
  const url = await resolveTrackedLink(core, message.campaignId, claims.urlHash!);
  if (!url) return null;
  const at = core.now();
  await applyMessageEvents(core, message.workspaceId, [{
    messageId: message.id, type: 'click', occurredAt: at, source: 'redirect', url, userAgent: meta.userAgent,
    machine: isMachineFetch({ ...meta, sentAt: message.sentAt, at }),
  }]);
  return url;
}

/** The address an unsubscribe token is for (the page shows it), or null. */
export async function unsubscribeTarget(core: CoreContext, token: string): Promise<TrackedMessage | null> {
  const claims = await verifyToken(core, token, 'unsubscribe');
  return claims ? findMessage(core, claims.messageId) : null;
}

/** Unsubscribes the message's recipient (idempotent); false for a token that is not genuine. */
export async function unsubscribeByToken(core: CoreContext, token: string, source: 'one-click' | 'page'): Promise<boolean> {
  const message = await unsubscribeTarget(core, token);
  if (!message) return false;
  await applyMessageEvents(core, message.workspaceId, [{
    messageId: message.id, type: 'unsubscribe', occurredAt: core.now(), source: `unsubscribe:${source}`, dedupeKey: `unsubscribe:${message.id}`,
  }]);
  return true;
}
