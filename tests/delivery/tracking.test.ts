// Tracking routes against real messages: the open pixel and click redirect with signed
// tokens (tampered or unknown → 404, and the redirect only to a URL the message contained),
// machine opens flagged, RFC 8058 one-click unsubscribe and the unsubscribe page, and
// conversions attributed to the last click within the window.
import type { RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import type { TestWorkspace } from '../support/test-app';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { trackEvents } from '../../core/events/track-events';
import { basicTemplate, campaignTestHooks, drain, seedContacts, type TestClock, testSender } from '../campaigns/campaign-fixtures';

let app: App;
let ws: TestWorkspace;
let clock: TestClock;
const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15';

campaignTestHooks((env) => ({ app, ws, clock } = env));

const get = (path: string, headers: Record<string, string> = {}) => app.yoga.fetch(`http://personae.test${path}`, { headers, redirect: 'manual' });

/** Sends a one-recipient campaign and returns the stored email and its message id. */
async function sendOne(email = 'ada@example.com') {
  await seedContacts(ws.ctx, [{ email, firstName: 'Ada' }]);
  const tpl = await basicTemplate(ws.ctx);
  const c = await createCampaign(ws.ctx, { name: 'T', from: { email: 'shop@example.com' }, utm: { source: 'personae' }, variants: [{ templateId: tpl.templateId }] });
  await launchCampaign(ws.ctx, c.id);
  await drain(app, testSender(app), ws.workspaceId);
  const [[m]] = await app.core.db.sql.query<RowDataPacket[]>('SELECT * FROM outbox_messages WHERE workspace_id = ? AND to_email = ?', [ws.workspaceId, email]);
  const headers = typeof m.headers === 'string' ? JSON.parse(m.headers) : m.headers;
  return {
    campaignId: c.id,
    messageId: Number(m.message_id),
    html: m.html as string,
    pixel: new URL((m.html as string).match(/http:\/\/personae\.test\/t\/o\/[A-Za-z0-9_-]+/)![0]).pathname,
    click: new URL((m.html as string).match(/http:\/\/personae\.test\/t\/c\/[A-Za-z0-9_-]+/)![0]).pathname,
    unsubscribe: new URL(headers['List-Unsubscribe'].slice(1, -1)).pathname,
  };
}

async function message(id: number) {
  const [[m]] = await app.core.db.sql.query<RowDataPacket[]>('SELECT * FROM messages WHERE id = ?', [id]);
  return m;
}

async function events(id: number) {
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>('SELECT type, source, machine, url FROM message_events WHERE message_id = ? ORDER BY id', [id]);
  return rows.map((r) => ({ type: r.type as string, source: r.source as string, machine: !!r.machine, url: r.url as string | null }));
}

test('the open pixel records a human open; Apple MPP and instant prefetches are flagged as machine', async () => {
  const sent = await sendOne();
  const prefetch = await get(sent.pixel, { 'user-agent': 'Mozilla/5.0' });
  expect(prefetch.status).toBe(200);
  expect(prefetch.headers.get('content-type')).toBe('image/gif');
  clock.advance(1000); // a person opening one second after the send is implausible
  await get(sent.pixel, { 'user-agent': BROWSER });
  clock.advance(3600_000);
  await get(sent.pixel, { 'user-agent': BROWSER });
  expect(await events(sent.messageId)).toEqual([
    { type: 'open', source: 'pixel', machine: true, url: null },
    { type: 'open', source: 'pixel', machine: true, url: null },
    { type: 'open', source: 'pixel', machine: false, url: null },
  ]);
  const m = await message(sent.messageId);
  expect(m.opened_at).toEqual(clock.now);
  expect(m.machine_opened_at).not.toBeNull();
  expect(m.open_count).toBe(1);
  expect(m.status).toBe('DELIVERED');
});

test('the click redirect goes to the URL the message contained; tampered or unknown tokens are 404', async () => {
  const sent = await sendOne();
  clock.advance(60_000);
  const res = await get(sent.click, { 'user-agent': BROWSER });
  expect(res.status).toBe(302);
  expect(res.headers.get('location')).toBe('https://shop.example.com/sale?utm_source=personae');
  expect((await message(sent.messageId)).click_count).toBe(1);

  const token = sent.click.split('/').pop()!;
  const flipped = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11);
  expect((await get(`/t/c/${flipped}`)).status).toBe(404);
  expect((await get('/t/c/not-a-token-at-all-xxxxxxxxxxxx')).status).toBe(404);
  expect((await get(`/t/o/${flipped}`)).status).toBe(404);
  // An open token is not a click token (kinds are signed).
  expect((await get(`/t/c/${sent.pixel.split('/').pop()}`)).status).toBe(404);
  expect((await events(sent.messageId)).filter((e) => e.type === 'click')).toHaveLength(1);
});

test('RFC 8058 one-click unsubscribe suppresses the address and withdraws consent; GET only shows the page', async () => {
  const sent = await sendOne('grace@example.com');
  const page = await get(sent.unsubscribe);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('grace@example.com');
  const [[before]] = await app.core.db.sql.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM suppressions WHERE workspace_id = ?', [ws.workspaceId]);
  expect(Number(before.n)).toBe(0);

  const res = await app.yoga.fetch(`http://personae.test${sent.unsubscribe}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click',
  });
  expect(res.status).toBe(200);
  const [[s]] = await app.core.db.sql.query<RowDataPacket[]>('SELECT reason FROM suppressions WHERE workspace_id = ? AND email_normalized = ?', [ws.workspaceId, 'grace@example.com']);
  expect(s.reason).toBe('UNSUBSCRIBE');
  const [[c]] = await app.core.db.sql.query<RowDataPacket[]>('SELECT consent_status FROM contacts WHERE workspace_id = ?', [ws.workspaceId]);
  expect(c.consent_status).toBe('UNSUBSCRIBED');
  expect((await message(sent.messageId)).unsubscribed_at).not.toBeNull();
  // Again: idempotent.
  expect((await app.yoga.fetch(`http://personae.test${sent.unsubscribe}`, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
  expect((await events(sent.messageId)).filter((e) => e.type === 'unsubscribe')).toHaveLength(1);
  expect((await get('/u/tampered-token-xxxxxxxxxxxxxxxxxxxx')).status).toBe(404);
});

test('a conversion is the configured event within N days of a click, attributed to the clicked message', async () => {
  const sent = await sendOne();
  clock.advance(3600_000);
  await get(sent.click, { 'user-agent': BROWSER });
  const [contact] = (await app.core.db.sql.query<RowDataPacket[]>('SELECT id FROM contacts WHERE workspace_id = ?', [ws.workspaceId]))[0];
  clock.advance(2 * 86_400_000);
  await trackEvents(ws.ctx, { source: 'api', events: [{ type: 'purchase', contactId: contact.id, value: 42.5 }, { type: 'page_view', contactId: contact.id }] });
  await drain(app, testSender(app), ws.workspaceId);
  clock.advance(10 * 86_400_000); // beyond the default 5-day window: not a conversion
  await trackEvents(ws.ctx, { source: 'api', events: [{ type: 'purchase', contactId: contact.id, value: 10 }] });
  await drain(app, testSender(app), ws.workspaceId);

  const m = await message(sent.messageId);
  expect(m.converted_at).not.toBeNull();
  expect(Number(m.revenue)).toBe(42.5);
  expect((await events(sent.messageId)).filter((e) => e.type === 'conversion')).toEqual([{ type: 'conversion', source: 'attribution', machine: false, url: null }]);
});
