// Refresh policy: profiles and personas of a workspace are recomputed by a background job
// (`personas.refresh-workspace`) shortly after its data changes. A worker loop polls for
// change every minute, cheaply: new rows in events / message_events past a cursor on their
// auto-increment ids, and contacts.updated_at per workspace (an index-only lookup), compared
// with the watermarks the last run stored in profile_refresh_state. Polling the database,
// rather than listening to in-process domain events, works across API and worker processes
// and catches up after downtime. On-demand refreshes go through the same functions.
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';
import { forWorkspace } from '../context';
import { defineJob } from '../jobs/job-handler';
import { enqueueJob } from '../jobs/job-queue';
import { computeProfiles } from '../profiles/compute-profiles';
import { optionalTableColumns } from '../profiles/optional-tables';
import { refreshAllPersonas } from './persona-refresh';
import { pollingLoop, type BackgroundLoop } from '../background-loop';

export const REFRESH_JOB = 'personas.refresh-workspace';
export const POLL_INTERVAL_MS = 60_000;
/** Coalesces bursts of ingestion into one run. */
export const REFRESH_DELAY_MS = 15_000;

/** Recomputes profiles, then every persona, and records the watermarks the run covered. */
export const refreshWorkspaceJob = defineJob({
  key: REFRESH_JOB,
  leaseMs: 10 * 60_000,
  async run({ core, job, progress }) {
    if (job.workspaceId === null) throw Object.assign(new Error('refresh job without a workspace'), { permanent: true });
    const ctx = forWorkspace(core, job.workspaceId, { type: 'system', name: 'persona-refresh' });
    const marks = await currentWatermarks(core, job.workspaceId);
    const profiles = await computeProfiles(ctx);
    await progress(0.6, `profiles of ${profiles.contacts} contacts computed`);
    const personas = await refreshAllPersonas(ctx);
    await core.db.sql.query(
      `INSERT INTO profile_refresh_state (workspace_id, last_event_id, last_message_event_id, last_contact_update, refreshed_at) VALUES (?, ?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE last_event_id = VALUES(last_event_id), last_message_event_id = VALUES(last_message_event_id),
         last_contact_update = VALUES(last_contact_update), refreshed_at = VALUES(refreshed_at)`,
      [job.workspaceId, marks.eventId, marks.messageEventId, marks.contactUpdate, core.now()],
    );
    return { contacts: profiles.contacts, personas: personas.length, changed: personas.filter((p) => p.entered || p.left).length };
  },
});

/** Queues a refresh of the workspace unless one is already queued or running. */
export async function scheduleWorkspaceRefresh(core: CoreContext, workspaceId: number, delayMs = REFRESH_DELAY_MS) {
  return enqueueJob(core, { workspaceId, kind: REFRESH_JOB, dedupeKey: `ws:${workspaceId}`, runAt: new Date(core.now().getTime() + delayMs) });
}

async function currentWatermarks(core: CoreContext, workspaceId: number) {
  // Global maxima are O(1) on the primary key and safe: a later check compares ids past them.
  const [[ev]] = await core.db.sql.query<RowDataPacket[]>('SELECT COALESCE(MAX(id), 0) AS m FROM events');
  const hasMail = !!(await optionalTableColumns(core, 'message_events'));
  const [[me]] = hasMail ? await core.db.sql.query<RowDataPacket[]>('SELECT COALESCE(MAX(id), 0) AS m FROM message_events') : [[{ m: 0 }]];
  const [[ct]] = await core.db.sql.query<RowDataPacket[]>('SELECT MAX(updated_at) AS m FROM contacts WHERE workspace_id = ?', [workspaceId]);
  return { eventId: BigInt(ev.m), messageEventId: BigInt(me.m), contactUpdate: (ct.m as Date | null) ?? null };
}

/** Cursor over new event rows, kept by the polling loop between ticks. */
export interface ChangeCursor {
  eventId: bigint;
  messageEventId: bigint;
}

/** Workspaces whose events, message events or contacts changed after their last refresh. */
export async function changedWorkspaces(core: CoreContext, cursor: ChangeCursor): Promise<number[]> {
  const changed = new Set<number>();
  const [state] = await core.db.sql.query<RowDataPacket[]>('SELECT workspace_id, last_event_id, last_message_event_id, last_contact_update FROM profile_refresh_state');
  const byWs = new Map(state.map((s) => [Number(s.workspace_id), s]));
  const scan = async (table: string, from: bigint, column: 'last_event_id' | 'last_message_event_id') => {
    const [rows] = await core.db.sql.query<RowDataPacket[]>(`SELECT workspace_id, MAX(id) AS m FROM ${table} WHERE id > ? GROUP BY workspace_id`, [from]);
    let top = from;
    for (const r of rows) {
      const m = BigInt(r.m);
      if (m > top) top = m;
      const s = byWs.get(Number(r.workspace_id));
      if (!s || m > BigInt(s[column])) changed.add(Number(r.workspace_id));
    }
    return top;
  };
  cursor.eventId = await scan('events', cursor.eventId, 'last_event_id');
  if (await optionalTableColumns(core, 'message_events')) cursor.messageEventId = await scan('message_events', cursor.messageEventId, 'last_message_event_id');
  // Loose index scan on (workspace_id, updated_at): one index dive per workspace.
  const [contacts] = await core.db.sql.query<RowDataPacket[]>('SELECT workspace_id, MAX(updated_at) AS m FROM contacts GROUP BY workspace_id');
  for (const c of contacts) {
    const s = byWs.get(Number(c.workspace_id));
    if (!s || !s.last_contact_update || (c.m as Date) > (s.last_contact_update as Date)) changed.add(Number(c.workspace_id));
  }
  return [...changed].sort((a, b) => a - b);
}

/** The polling loop the worker process runs. */
export function createPersonaRefreshLoop(core: CoreContext, opts: { intervalMs?: number } = {}): BackgroundLoop {
  const cursor: ChangeCursor = { eventId: 0n, messageEventId: 0n };
  return pollingLoop({
    name: 'persona-refresh',
    step: async () => {
      for (const ws of await changedWorkspaces(core, cursor)) await scheduleWorkspaceRefresh(core, ws);
    },
    delayMs: () => opts.intervalMs ?? POLL_INTERVAL_MS,
    onError: (err) => core.log.warn({ err }, 'persona refresh poll failed'),
  });
}
