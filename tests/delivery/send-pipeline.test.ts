// The sending pipeline in process: launch snapshots the audience into message rows, the
// sender claims, checks, renders and hands batches to the outbox provider, and every
// eligible recipient ends with exactly one stored email.
import type { RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import { outbox } from '../../plugins/outbox';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { addSuppressions } from '../../core/suppressions/suppressions';
import { basicTemplate, controlClock, drain, manyContacts, seedContacts, statusCounts, testSender } from '../campaigns/campaign-fixtures';

let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp({ plugins: [outbox()] });
  controlClock(app);
});
afterAll(async () => {
  await app.close();
});
beforeEach(async () => {
  ws = await createTestWorkspace(app);
});

test('launch writes one message per eligible recipient before anything is sent; the worker sends each exactly once', async () => {
  await seedContacts(ws.ctx, [
    ...manyContacts(25),
    { email: 'nope@example.com', consent: 'UNKNOWN' },
    { email: 'gone@example.com', consent: 'UNSUBSCRIBED' },
    { email: null, firstName: 'NoEmail' },
    { email: 'bounced@example.com' },
  ]);
  await addSuppressions(ws.ctx, { emails: ['bounced@example.com'], reason: 'HARD_BOUNCE' });
  const tpl = await basicTemplate(ws.ctx);
  const campaign = await createCampaign(ws.ctx, { name: 'Spring', from: { email: 'shop@example.com', name: 'Shop' }, variants: [{ templateId: tpl.templateId }] });

  const launched = await launchCampaign(ws.ctx, campaign.id);
  expect(launched).toEqual({ status: 'SENDING', audienceCount: 25 });
  expect(await statusCounts(app, campaign.id)).toEqual({ QUEUED: 25 });
  const row = await app.core.db.prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
  expect(row.snapshot).toMatchObject({ matched: 29, noEmail: 1, notConsenting: 2, suppressed: 1 });

  const sent = await drain(app, testSender(app, { batchSize: 10 }), ws.workspaceId);
  expect(sent).toBe(25);
  expect(await statusCounts(app, campaign.id)).toEqual({ SENT: 25 });
  const [perRecipient] = await app.core.db.sql.query<RowDataPacket[]>(
    'SELECT to_email, COUNT(*) AS n FROM outbox_messages WHERE workspace_id = ? GROUP BY to_email', [ws.workspaceId]);
  expect(perRecipient).toHaveLength(25);
  expect(perRecipient.every((r) => Number(r.n) === 1)).toBe(true);
  expect((await app.core.db.prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe('SENT');
});

test('each email is personalised and carries tracking, UTM and RFC 8058 unsubscribe headers', async () => {
  await seedContacts(ws.ctx, [{ email: 'ada@example.com', firstName: 'Ada' }]);
  const tpl = await basicTemplate(ws.ctx);
  const campaign = await createCampaign(ws.ctx, {
    name: 'UTM', from: { email: 'shop@example.com' }, replyTo: { email: 'help@example.com' },
    utm: { source: 'personae', campaign: 'spring' }, variants: [{ templateId: tpl.templateId }],
  });
  await launchCampaign(ws.ctx, campaign.id);
  await drain(app, testSender(app), ws.workspaceId);
  const [[m]] = await app.core.db.sql.query<RowDataPacket[]>('SELECT * FROM outbox_messages WHERE workspace_id = ?', [ws.workspaceId]);
  expect(m.subject).toBe('Hi Ada');
  expect(m.html).toContain('Hello Ada!');
  expect(m.reply_to).toBe('help@example.com');
  const headers = typeof m.headers === 'string' ? JSON.parse(m.headers) : m.headers;
  expect(headers['List-Unsubscribe']).toMatch(/^<http:\/\/personae\.test\/u\/[A-Za-z0-9_-]+>$/);
  expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  expect(m.html).toMatch(/http:\/\/personae\.test\/t\/o\/[A-Za-z0-9_-]+/);
  expect(m.html).toMatch(/href="http:\/\/personae\.test\/t\/c\/[A-Za-z0-9_-]+"/);
  expect(m.html).not.toContain('https://shop.example.com/sale');
  const [[link]] = await app.core.db.sql.query<RowDataPacket[]>('SELECT url FROM tracked_links WHERE campaign_id = ?', [campaign.id]);
  expect(link.url).toBe('https://shop.example.com/sale?utm_source=personae&utm_campaign=spring');
});
