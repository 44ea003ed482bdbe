// What some message events mean beyond the message: a hard bounce or a complaint suppresses
// the address for good; an unsubscribe suppresses marketing and withdraws consent.
import type { CoreContext } from '../context';
import { forWorkspace } from '../context';
import { checkEmail } from '../contacts/email';
import { addSuppressions, type SuppressionReason } from '../suppressions/suppressions';
import type { MessageEventInput, MessageRow } from './message-events';

function reasonOf(e: MessageEventInput): SuppressionReason | null {
  // A bounce the provider did not classify counts as hard: mailing a dead address again hurts reputation more.
  if (e.type === 'bounce') return e.bounceClass === 'soft' ? null : 'HARD_BOUNCE';
  if (e.type === 'spamreport') return 'COMPLAINT';
  if (e.type === 'unsubscribe') return 'UNSUBSCRIBE';
  return null;
}

export async function applyEventSideEffects(core: CoreContext, workspaceId: number, events: MessageEventInput[], messages: Map<bigint, MessageRow>): Promise<void> {
  const byReason = new Map<SuppressionReason, Set<string>>();
  const unsubscribed = new Set<number>();
  for (const e of events) {
    const reason = reasonOf(e);
    if (!reason) continue;
    const m = messages.get(e.messageId)!;
    if (checkEmail(m.email).ok) {
      if (!byReason.has(reason)) byReason.set(reason, new Set());
      byReason.get(reason)!.add(m.email);
    }
    if (reason === 'UNSUBSCRIBE') unsubscribed.add(m.contactId);
  }
  if (!byReason.size) return;
  const ctx = forWorkspace(core, workspaceId, { type: 'system', name: 'delivery' });
  for (const [reason, emails] of byReason) {
    await addSuppressions(ctx, { emails: [...emails], reason, source: 'message-events' });
  }
  if (unsubscribed.size) {
    const now = core.now();
    await core.db.sql.query(
      "UPDATE contacts SET consent_status = 'UNSUBSCRIBED', consent_source = 'unsubscribe', consent_at = ?, updated_at = ? WHERE workspace_id = ? AND id IN (?) AND consent_status <> 'UNSUBSCRIBED'",
      [now, now, workspaceId, [...unsubscribed]],
    );
    core.events.emit('contact.updated', { workspaceId, contactIds: [...unsubscribed], source: 'unsubscribe' });
  }
}
