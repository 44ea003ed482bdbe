// The refresh policy: a workspace whose data changed is found by the poll, its refresh job
// recomputes profiles and personas and stores watermarks, after which it is no longer "changed"
// until new data arrives. Also Contact.profile through GraphQL after a refresh.
import type { App } from '../../api/app';
import { changedWorkspaces, refreshWorkspaceJob, scheduleWorkspaceRefresh, REFRESH_JOB, type ChangeCursor } from '../../core/personas/refresh-scheduler';
import { createPersona } from '../../core/personas/personas.service';
import { createTestApp, createTestWorkspace } from '../support/test-app';
import { gqlOk } from '../support/graphql-client';
import { ContactProfileDocument } from '../generated/graphql';
import { contact, track } from './persona-fixtures';
import { encodeGlobalID } from '@pothos/plugin-relay';

let app: App;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

async function runJob(workspaceId: number) {
  const job = await scheduleWorkspaceRefresh(app.core, workspaceId, 0);
  const claimed = { id: job.id, workspaceId, kind: REFRESH_JOB, payload: {}, attempts: 1, maxAttempts: 3 };
  return refreshWorkspaceJob.run({ core: app.core, job: claimed, signal: new AbortController().signal, progress: async () => {} });
}

test('changed workspaces are detected, refreshed by the job, and quiet again until new events arrive', async () => {
  const ws = await createTestWorkspace(app);
  const id = await contact(ws.ctx, 'p@example.com');
  await createPersona(ws.ctx, { slug: 'buyers', name: 'Buyers', rule: { profile: { field: 'purchaseCount', op: 'GTE', value: 1 } } });
  await track(ws.ctx, [{ contactId: id, type: 'purchase', value: 12, occurredAt: new Date(Date.now() - 3600_000), properties: { category: 'tea' } }]);

  const cursor: ChangeCursor = { eventId: 0n, messageEventId: 0n };
  expect(await changedWorkspaces(app.core, cursor)).toContain(ws.workspaceId);
  // Queued once, whatever the number of polls that see the change.
  const a = await scheduleWorkspaceRefresh(app.core, ws.workspaceId);
  const b = await scheduleWorkspaceRefresh(app.core, ws.workspaceId);
  expect(b.id).toBe(a.id);

  // The persona was empty before profiles existed; the job computes profiles, then personas.
  expect(await runJob(ws.workspaceId)).toMatchObject({ contacts: 1, personas: 1, changed: 1 });
  const fresh: ChangeCursor = { eventId: 0n, messageEventId: 0n };
  expect(await changedWorkspaces(app.core, fresh)).not.toContain(ws.workspaceId);

  await track(ws.ctx, [{ contactId: id, type: 'page_view', occurredAt: new Date() }]);
  expect(await changedWorkspaces(app.core, fresh)).toContain(ws.workspaceId);

  const { contact: c } = await gqlOk(app, ws.key, ContactProfileDocument, { id: encodeGlobalID('Contact', String(id)) });
  expect(c.profile).toMatchObject({ purchaseCount: 1, monetaryTotal: 12, lifecycleStage: 'NEW', topInterest: 'tea', daysSinceLastPurchase: 0 });
  expect(c.profile!.interests).toEqual([{ category: 'tea', score: 1, views: 0, purchases: 1 }]);
  expect(c.profile!.eventCounts).toEqual([{ type: 'purchase', last7Days: 1, last30Days: 1, last90Days: 1 }]);
  expect(c.personas.map((p) => p.slug)).toEqual(['buyers']);
  // Leave no due job behind for job-worker tests running against the same database.
  await app.core.db.prisma.job.deleteMany({ where: { workspaceId: ws.workspaceId } });
});
