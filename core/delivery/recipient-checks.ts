// Last checks on a claimed batch, at the moment of sending (hours or days may have passed
// since the snapshot): suppression, consent, the workspace frequency cap, quiet hours.
// Two set-based queries per batch. Transactional campaigns are exempt from consent, caps
// and quiet hours; bounces and complaints stop them too.
// The cap here is only a pre-filter that spares rendering recipients already capped; it reads
// without locks, so the binding decision is taken again when the batch is reserved for the
// provider (dispatch-reservation.ts).
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';
import type { WorkspaceSettings } from '../workspaces/workspace-settings';
import { isQuietHour, localTime, outsideQuietHours } from '../campaigns/send-time';
import { capVerdict, recentMarketingSends, type CapReason } from './frequency-cap';

export interface Recipient {
  id: bigint;
  contactId: number;
  variantId: number | null;
  email: string;
  timezone: string;
  /** Provider attempts so far, this one included once it is dispatched. */
  attempt: number;
}

export type SkipReason = 'suppressed' | 'not_consenting' | CapReason | 'contact_deleted';

export interface CheckedBatch {
  send: Recipient[];
  skip: { id: bigint; reason: SkipReason }[];
  /** Quiet hours: back to the queue until they end. */
  defer: { id: bigint; until: Date }[];
}

export async function checkRecipients(
  core: CoreContext,
  args: { ids: bigint[]; category: 'MARKETING' | 'TRANSACTIONAL'; workspaceTimezone: string; settings: WorkspaceSettings },
): Promise<CheckedBatch> {
  const marketing = args.category === 'MARKETING';
  const [rows] = await core.db.sql.query<RowDataPacket[]>(
    `SELECT m.id, m.contact_id, m.variant_id, m.email, m.attempts, COALESCE(c.timezone, ?) AS tz, c.consent_status,
            EXISTS (SELECT 1 FROM suppressions s WHERE s.workspace_id = m.workspace_id AND s.email_normalized = LOWER(m.email)
                    ${marketing ? '' : "AND s.reason <> 'UNSUBSCRIBE'"}) AS suppressed
       FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE m.id IN (?)`,
    [args.workspaceTimezone, args.ids.map(String)],
  );
  const out: CheckedBatch = { send: [], skip: [], defer: [] };
  const found = new Set(rows.map((r) => String(r.id)));
  for (const id of args.ids) if (!found.has(String(id))) out.skip.push({ id, reason: 'contact_deleted' });

  const now = core.now();
  const caps = marketing ? await recentMarketingSends(core.db.sql, { contactIds: rows.map((r) => r.contact_id), settings: args.settings, now }) : new Map();
  for (const r of rows) {
    const id = BigInt(r.id);
    if (r.suppressed) { out.skip.push({ id, reason: 'suppressed' }); continue; }
    if (marketing && r.consent_status !== 'SUBSCRIBED') { out.skip.push({ id, reason: 'not_consenting' }); continue; }
    const capped = marketing ? capVerdict(caps.get(r.contact_id), args.settings, now) : null;
    if (capped) { out.skip.push({ id, reason: capped }); continue; }
    if (marketing && isQuietHour(localTime(r.tz, now.getTime()).hour, args.settings.quietHours)) {
      out.defer.push({ id, until: outsideQuietHours(r.tz, now, args.settings.quietHours) });
      continue;
    }
    out.send.push({ id, contactId: r.contact_id, variantId: r.variant_id, email: r.email, timezone: r.tz, attempt: Number(r.attempts) + 1 });
  }
  return out;
}
