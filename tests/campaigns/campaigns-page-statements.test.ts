// A page of campaigns with their variants, templates, winner and stats costs a constant
// number of SQL statements whatever the page size (relations and dataloaders, no N+1).
import type { App } from '../../api/app';
import { outbox } from '../../plugins/outbox';
import { createTestApp, createTestWorkspace, countStatements, type TestWorkspace } from '../support/test-app';
import { gqlOk } from '../support/graphql-client';
import { CampaignsPageDocument } from '../generated/graphql';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { basicTemplate, controlClock, manyContacts, seedContacts } from './campaign-fixtures';

let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp({ plugins: [outbox()] });
  controlClock(app);
  ws = await createTestWorkspace(app);
  await seedContacts(ws.ctx, manyContacts(5));
  const a = await basicTemplate(ws.ctx, 'A');
  const b = await basicTemplate(ws.ctx, 'B');
  for (let i = 0; i < 12; i++) {
    const c = await createCampaign(ws.ctx, {
      name: `C${i}`, from: { email: 'shop@example.com' },
      variants: [{ templateId: a.templateId }, { templateId: b.templateId }],
      abTest: { testFraction: 0.5, metric: 'CLICK', windowMinutes: 60 },
    });
    if (i % 2) await launchCampaign(ws.ctx, c.id);
  }
});
afterAll(() => app.close());

test('statement count does not grow with the page size', async () => {
  const counts: Record<number, number> = {};
  await gqlOk(app, ws.key, CampaignsPageDocument, { first: 1 }); // the API key is looked up once, then cached
  for (const first of [2, 6, 12]) {
    const { result, statements } = await countStatements(app, () => gqlOk(app, ws.key, CampaignsPageDocument, { first }));
    expect(result.campaigns.edges).toHaveLength(first);
    expect(result.campaigns.edges.every((e) => e.node.variants.length === 2 && e.node.variants[1].template!.name === 'B')).toBe(true);
    counts[first] = statements.length;
  }
  expect(counts[2]).toBe(counts[12]);
  expect(counts[6]).toBe(counts[12]);
  // campaigns + variants + templates + stats
  expect(counts[12]).toBeLessThanOrEqual(4);
});
