// Send times and sending policy: send-time optimisation across time zones (contact's
// preferred hour → their persona's best hour → workspace default), quiet hours, and the
// workspace frequency cap with skipped recipients recorded by reason.
import type { RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import type { WorkspaceContext } from '../../core/context';
import type { TestWorkspace } from '../support/test-app';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { updateWorkspace } from '../../core/workspaces/workspaces';
import { defineAttribute } from '../../core/attributes/attribute-definitions';
import { createPersona } from '../../core/personas/personas.service';
import { basicTemplate, campaignTestHooks, drain, type SeedContact, seedContacts, statusCounts, type TestClock, testSender } from './campaign-fixtures';

let app: App;
let ws: TestWorkspace;
let clock: TestClock;
let templateId: number;

campaignTestHooks((env) => ({ app, ws, clock } = env), { timezone: 'UTC' });
beforeEach(async () => {
  templateId = (await basicTemplate(ws.ctx)).templateId;
});

async function setProfiles(ctx: WorkspaceContext, hours: Map<number, number | null>) {
  const rows = [...hours].map(([id, h]) => [id, ctx.workspaceId, h, 'ACTIVE', ctx.now()]);
  await ctx.db.sql.query('INSERT INTO contact_profiles (contact_id, workspace_id, preferred_hour, lifecycle_stage, computed_at) VALUES ?', [rows]);
}

async function sendTimes(campaignId: number): Promise<Record<string, string>> {
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>('SELECT email, send_at FROM messages WHERE campaign_id = ?', [campaignId]);
  return Object.fromEntries(rows.map((r) => [r.email, (r.send_at as Date).toISOString()]));
}

test('STO puts each contact at their preferred local hour, else their persona\'s best hour, else the workspace default', async () => {
  await defineAttribute(ws.ctx, { key: 'group', type: 'STRING' });
  const people: (SeedContact & { key: string })[] = [
    { key: 'a', email: 'a@example.com', timezone: 'America/New_York', attributes: { group: 'q' } },
    { key: 'b', email: 'b@example.com', timezone: 'Asia/Tokyo', attributes: { group: 'q' } },
    { key: 'f', email: 'f@example.com', timezone: null, attributes: { group: 'q' } },
    { key: 'c', email: 'c@example.com', timezone: 'Europe/Paris', attributes: { group: 'p' } },
    { key: 'd', email: 'd@example.com', timezone: 'Europe/Paris', attributes: { group: 'p' } },
    { key: 'e', email: 'e@example.com', timezone: 'Europe/Paris', attributes: { group: 'p' } },
    { key: 'g', email: 'g@example.com', timezone: 'America/Los_Angeles', attributes: { group: 'r' } },
  ];
  const ids = await seedContacts(ws.ctx, people);
  const id = (k: string) => ids[people.findIndex((p) => p.key === k)];
  await setProfiles(ws.ctx, new Map([[id('a'), 9], [id('b'), 20], [id('d'), 14], [id('e'), 14], [id('g'), null]]));
  const persona = async (slug: string) => (await createPersona(ws.ctx, { slug, name: slug, rule: { attribute: { key: 'group', op: 'EQ', value: slug } } })).persona.id;
  const [p, q, r] = [await persona('p'), await persona('q'), await persona('r')];

  const c = await createCampaign(ws.ctx, {
    name: 'STO', from: { email: 'shop@example.com' }, variants: [{ templateId }],
    audience: { includePersonaIds: [p, q, r] },
    schedule: { mode: 'STO', sendAt: new Date('2030-03-04T00:00:00.000Z'), windowHours: 24 },
  });
  clock.set(new Date('2030-03-03T20:00:00.000Z'));
  expect(await launchCampaign(ws.ctx, c.id)).toMatchObject({ status: 'SCHEDULED', audienceCount: 7 });
  expect(await sendTimes(c.id)).toEqual({
    'a@example.com': '2030-03-04T14:00:00.000Z', // 09:00 in New York (UTC−5)
    'b@example.com': '2030-03-04T11:00:00.000Z', // 20:00 in Tokyo (UTC+9)
    'd@example.com': '2030-03-04T13:00:00.000Z', // 14:00 in Paris (UTC+1)
    'e@example.com': '2030-03-04T13:00:00.000Z',
    'c@example.com': '2030-03-04T13:00:00.000Z', // no profile: persona p's best hour, 14:00 Paris
    'f@example.com': '2030-03-04T09:00:00.000Z', // no zone (workspace UTC), persona q's best hour (9 and 20 tie: the earlier)
    'g@example.com': '2030-03-04T18:00:00.000Z', // nobody in r has an hour: workspace default 10:00 in Los Angeles (UTC−8)
  });

  // The worker sends each at its time and not before.
  const sender = testSender(app);
  clock.set(new Date('2030-03-04T11:30:00.000Z'));
  expect(await drain(app, sender, ws.workspaceId)).toBe(2); // f (09:00Z) and b (11:00Z)
  clock.set(new Date('2030-03-04T18:00:00.000Z'));
  expect(await drain(app, sender, ws.workspaceId)).toBe(5);
  expect(await statusCounts(app, c.id)).toEqual({ SENT: 7 });
});

test('quiet hours hold marketing email until they end in the contact\'s zone; transactional email is exempt', async () => {
  await updateWorkspace(ws.ctx, { settings: { quietHours: { startHour: 21, endHour: 8 } } });
  await seedContacts(ws.ctx, [{ email: 'london@example.com', timezone: 'Europe/London' }, { email: 'tokyo@example.com', timezone: 'Asia/Tokyo' }]);
  const marketing = await createCampaign(ws.ctx, { name: 'M', from: { email: 'shop@example.com' }, variants: [{ templateId }] });
  await launchCampaign(ws.ctx, marketing.id); // 12:00Z is 21:00 in Tokyo
  expect(await sendTimes(marketing.id)).toEqual({ 'london@example.com': '2030-03-04T12:00:00.000Z', 'tokyo@example.com': '2030-03-04T23:00:00.000Z' });
  const sender = testSender(app);
  expect(await drain(app, sender, ws.workspaceId)).toBe(1);
  clock.set(new Date('2030-03-04T23:00:00.000Z'));
  expect(await drain(app, sender, ws.workspaceId)).toBe(1);

  const receipt = await createCampaign(ws.ctx, { name: 'T', category: 'TRANSACTIONAL', from: { email: 'shop@example.com' }, variants: [{ templateId }] });
  clock.set(new Date('2030-03-05T13:00:00.000Z')); // 22:00 in Tokyo
  await launchCampaign(ws.ctx, receipt.id);
  expect(await drain(app, sender, ws.workspaceId)).toBe(2);
});

test('a message that comes due inside quiet hours (e.g. after a pause) is deferred at send time, not skipped', async () => {
  await seedContacts(ws.ctx, [{ email: 'tokyo@example.com', timezone: 'Asia/Tokyo' }]);
  const c = await createCampaign(ws.ctx, { name: 'M', from: { email: 'shop@example.com' }, variants: [{ templateId }] });
  await launchCampaign(ws.ctx, c.id); // no quiet hours at launch
  await updateWorkspace(ws.ctx, { settings: { quietHours: { startHour: 21, endHour: 8 } } });
  expect(await drain(app, testSender(app), ws.workspaceId)).toBe(0);
  expect(await sendTimes(c.id)).toEqual({ 'tokyo@example.com': '2030-03-04T23:00:00.000Z' });
  expect(await statusCounts(app, c.id)).toEqual({ QUEUED: 1 });
});

test('the frequency cap skips marketing recipients with the reason recorded; transactional sends are exempt', async () => {
  await updateWorkspace(ws.ctx, { settings: { frequencyCap: { maxMessages: 2, windowDays: 30, minHoursBetween: 16 } } });
  await seedContacts(ws.ctx, [{ email: 'x@example.com' }, { email: 'y@example.com' }]);
  const sender = testSender(app);
  const run = async (name: string, category: 'MARKETING' | 'TRANSACTIONAL' = 'MARKETING') => {
    const c = await createCampaign(ws.ctx, { name, category, from: { email: 'shop@example.com' }, variants: [{ templateId }] });
    await launchCampaign(ws.ctx, c.id);
    await drain(app, sender, ws.workspaceId);
    return statusCounts(app, c.id);
  };
  expect(await run('first')).toEqual({ SENT: 2 });
  clock.advance(3600_000);
  expect(await run('too soon')).toEqual({ SKIPPED: 2 });
  clock.advance(20 * 3600_000);
  expect(await run('second')).toEqual({ SENT: 2 });
  clock.advance(20 * 3600_000);
  expect(await run('third')).toEqual({ SKIPPED: 2 });
  expect(await run('receipt', 'TRANSACTIONAL')).toEqual({ SENT: 2 });

  const [rows] = await app.core.db.sql.query<RowDataPacket[]>(
    'SELECT c.name, m.skip_reason FROM messages m JOIN campaigns c ON c.id = m.campaign_id WHERE m.workspace_id = ? AND m.status = \'SKIPPED\' GROUP BY c.name, m.skip_reason', [ws.workspaceId]);
  expect(new Map(rows.map((r) => [r.name, r.skip_reason]))).toEqual(new Map([['too soon', 'frequency_interval'], ['third', 'frequency_cap']]));
});
