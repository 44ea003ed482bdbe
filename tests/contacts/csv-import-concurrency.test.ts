// CSV imports of several workspaces at once, each a file of contacts none of them has yet:
// every import completes. Under REPEATABLE READ the import's locking reads of keys that do not
// exist take gap locks on contacts' (workspace_id, key) index, and a new workspace's gap spans
// its neighbours' boundary, so two imports into adjacent new workspaces deadlocked: the
// import, one transaction for the whole file, cannot be retried from a consumed stream.
import { Readable } from 'node:stream';
import type { App } from '../../api/app';
import { importContactsCsv } from '../../core/contacts/csv-import';
import { createTestApp, createTestWorkspace } from '../support/test-app';

jest.setTimeout(120_000);

let app: App;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const file = (prefix: string, rows: number) => ['email,first name', ...Array.from({ length: rows }, (_, i) => `${prefix}${i}@example.com,P${i}`)].join('\n');

test('imports into adjacent new workspaces at the same time all complete', async () => {
  const outcomes: string[] = [];
  for (let round = 0; round < 6; round++) {
    const workspaces = [await createTestWorkspace(app), await createTestWorkspace(app), await createTestWorkspace(app)];
    const reports = await Promise.all(
      workspaces.map((ws, i) =>
        importContactsCsv(ws.ctx, { stream: Readable.from([file(`r${round}w${i}-`, 1500)]), key: 'email' }).then(
          (r) => `${r.status}:${r.created}`,
          (err: Error) => `error:${err.message.slice(0, 60)}`,
        ),
      ),
    );
    outcomes.push(...reports);
  }
  expect(outcomes).toEqual(outcomes.map(() => 'COMPLETED:1500'));
});
