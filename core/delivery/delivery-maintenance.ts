// The scheduler's periodic chores. Each is safe to run from any number of worker processes
// at once: status changes are compare-and-set, lease recovery only touches expired leases.
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';
import { transitionCampaign } from '../campaigns/campaign-status';
import { reapExpiredLeases } from './message-claim';

/** Limits a chore to one workspace (tests with their own clock); omitted: all workspaces. */
export interface Scope {
  workspaceId?: number;
}

export function inWorkspace(scope: Scope, alias = ''): string {
  return scope.workspaceId ? `AND ${alias}workspace_id = ?` : '';
}

export function wsParams(scope: Scope): number[] {
  return scope.workspaceId ? [scope.workspaceId] : [];
}

/** SCHEDULED campaigns whose send time came: SENDING. */
export async function promoteScheduled(core: CoreContext, scope: Scope = {}): Promise<number> {
  const [rows] = await core.db.sql.query<RowDataPacket[]>(`SELECT id, workspace_id FROM campaigns WHERE status = 'SCHEDULED' AND send_at <= ? ${inWorkspace(scope)}`, [core.now(), ...wsParams(scope)]);
  let n = 0;
  for (const r of rows) if (await transitionCampaign(core, { workspaceId: r.workspace_id, campaignId: r.id, from: ['SCHEDULED'], to: 'SENDING' })) n++;
  return n;
}

/**
 * Recovers expired leases of campaigns that may hold claimed rows (live, paused, and recently
 * cancelled ones). Scoped per campaign so each UPDATE uses the (campaign, status) index.
 */
export async function reapLeases(core: CoreContext, scope: Scope = {}): Promise<{ requeued: number; uncertain: number }> {
  const now = core.now();
  const [rows] = await core.db.sql.query<RowDataPacket[]>(
    `SELECT id, status FROM campaigns WHERE (status IN ('SENDING', 'ACTIVE', 'PAUSED') OR (status IN ('CANCELLED', 'SENT') AND completed_at >= ?)) ${inWorkspace(scope)}`,
    [new Date(now.getTime() - 86_400_000), ...wsParams(scope)],
  );
  const total = { requeued: 0, uncertain: 0 };
  for (const r of rows) {
    const got = await reapExpiredLeases(core, r.id);
    total.requeued += got.requeued;
    total.uncertain += got.uncertain;
    if (r.status === 'CANCELLED' && got.requeued) {
      await core.db.sql.query("UPDATE messages SET status = 'CANCELLED' WHERE campaign_id = ? AND status = 'QUEUED'", [r.id]);
    }
  }
  return total;
}

/** SENDING broadcasts with nothing left to send (or in flight): SENT. */
export async function completeFinished(core: CoreContext, scope: Scope = {}): Promise<number[]> {
  const [rows] = await core.db.sql.query<RowDataPacket[]>(
    `SELECT c.id, c.workspace_id FROM campaigns c
      WHERE c.status = 'SENDING' AND c.type = 'BROADCAST' ${inWorkspace(scope, 'c.')}
        AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.campaign_id = c.id AND m.status IN ('QUEUED', 'HELD', 'SENDING', 'DISPATCHING'))`,
    wsParams(scope),
  );
  const done: number[] = [];
  for (const r of rows) {
    if (await transitionCampaign(core, { workspaceId: r.workspace_id, campaignId: r.id, from: ['SENDING'], to: 'SENT', data: { completedAt: core.now() } })) done.push(r.id);
  }
  return done;
}

/** Live campaigns with messages due now (what the sender works on next). */
export async function campaignsWithDueMessages(core: CoreContext, scope: Scope = {}): Promise<number[]> {
  const [rows] = await core.db.sql.query<RowDataPacket[]>(
    `SELECT c.id FROM campaigns c
      WHERE c.status IN ('SENDING', 'ACTIVE') ${inWorkspace(scope, 'c.')}
        AND EXISTS (SELECT 1 FROM messages m WHERE m.campaign_id = c.id AND m.status = 'QUEUED' AND m.send_at <= ?)`,
    [...wsParams(scope), core.now()],
  );
  return rows.map((r) => r.id);
}
