// A/B tests: the statistics (two-proportion z-test with Bonferroni, Wilson intervals), and a
// campaign end to end: the test group goes first, opens come in through the pixel, the
// winner is decided after the window and the held remainder gets it automatically.
import type { RowDataPacket } from 'mysql2/promise';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { App } from '../../api/app';
import type { TestWorkspace } from '../support/test-app';
import { gqlOk } from '../support/graphql-client';
import { CampaignAbResultsDocument } from '../generated/graphql';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { applyMessageEvents, type MessageEventInput } from '../../core/delivery/message-events';
import { decideAbTest, twoProportionTest, wilsonInterval, type VariantCounts } from '../../core/campaigns/ab-statistics';
import { basicTemplate, campaignTestHooks, drain, manyContacts, seedContacts, statusCounts, type TestClock, testSender } from './campaign-fixtures';

const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

describe('statistics', () => {
  test('two-proportion z-test and Wilson interval match hand-computed values', () => {
    // p1 = 0.20, p2 = 0.15, n = 1000 each: pooled 0.175, SE 0.016991, z 2.9428, p 0.00325.
    const t = twoProportionTest(200, 1000, 150, 1000);
    expect(t.z).toBeCloseTo(2.9428, 3);
    expect(t.pValue).toBeCloseTo(0.00325, 4);
    const w = wilsonInterval(200, 1000);
    expect(w.low).toBeCloseTo(0.1764, 3);
    expect(w.high).toBeCloseTo(0.2260, 3);
    expect(wilsonInterval(0, 0)).toEqual({ rate: 0, low: 0, high: 0 });
  });

  const v = (variantId: number, successes: number, recipients = 1000): VariantCounts =>
    ({ variantId, name: String(variantId), position: variantId - 1, recipients, successes, revenue: 0, revenueSquares: 0 });

  test('the leader must beat every other variant at α / (k − 1); otherwise the fallback applies', () => {
    expect(decideAbTest('OPEN', [v(1, 150), v(2, 200)], 'CONTROL')).toMatchObject({ significant: true, winnerVariantId: 2, rule: 'significant' });
    // p ≈ 0.0033 against 1, but p ≈ 0.047 against 3 is above 0.05 / 2: not significant.
    const three = decideAbTest('OPEN', [v(1, 150), v(2, 200), v(3, 170)], 'CONTROL');
    expect(three).toMatchObject({ significant: false, leaderVariantId: 2, winnerVariantId: 1, rule: 'fallback:CONTROL' });
    expect(decideAbTest('OPEN', [v(1, 150), v(2, 200), v(3, 170)], 'LEADER')).toMatchObject({ winnerVariantId: 2, rule: 'fallback:LEADER' });
  });

  test('revenue per recipient is compared as a difference of means', () => {
    const rev = (variantId: number, values: number[]): VariantCounts => ({
      variantId, name: String(variantId), position: variantId - 1, recipients: values.length, successes: 0,
      revenue: values.reduce((a, b) => a + b, 0), revenueSquares: values.reduce((a, b) => a + b * b, 0),
    });
    const a = rev(1, Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? 40 : 0)));
    const b = rev(2, Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? 60 : 0)));
    const d = decideAbTest('REVENUE', [a, b], 'CONTROL');
    expect(d.variants.map((x) => x.value)).toEqual([10, 15]);
    expect(d).toMatchObject({ significant: true, winnerVariantId: 2 });
  });
});

describe('campaign', () => {
  let app: App;
  let ws: TestWorkspace;
  let clock: TestClock;

  campaignTestHooks((env) => ({ app, ws, clock } = env));

  async function abCampaign(fallback: 'CONTROL' | 'LEADER') {
    await seedContacts(ws.ctx, manyContacts(400));
    const { templateId } = await basicTemplate(ws.ctx);
    const c = await createCampaign(ws.ctx, {
      name: 'Subject test', from: { email: 'shop@example.com' },
      variants: [{ templateId, subject: 'Plain subject' }, { templateId, subject: '{{ contact.first_name }}, 50% off today' }],
      abTest: { testFraction: 0.5, metric: 'OPEN', windowMinutes: 60, fallback },
    });
    expect(await launchCampaign(ws.ctx, c.id)).toMatchObject({ audienceCount: 400 });
    expect(await statusCounts(app, c.id)).toEqual({ QUEUED: 200, HELD: 200 });
    const sender = testSender(app, { batchSize: 100 });
    expect(await drain(app, sender, ws.workspaceId)).toBe(200);
    return { campaign: c, sender };
  }

  /** Opens `n` messages of the variant whose subject starts with `prefix`, through the pixel. */
  async function open(prefix: RegExp, n: number) {
    const [rows] = await app.core.db.sql.query<RowDataPacket[]>('SELECT subject, html FROM outbox_messages WHERE workspace_id = ? ORDER BY id', [ws.workspaceId]);
    const pixels = rows.filter((r) => prefix.test(r.subject)).slice(0, n).map((r) => new URL(r.html.match(/http:\/\/personae\.test\/t\/o\/[A-Za-z0-9_-]+/)[0]).pathname);
    expect(pixels).toHaveLength(n);
    for (const p of pixels) expect((await app.yoga.fetch(`http://personae.test${p}`, { headers: { 'user-agent': BROWSER } })).status).toBe(200);
  }

  test('the winner is chosen after the window and the rest of the audience gets it automatically', async () => {
    const { campaign, sender } = await abCampaign('CONTROL');
    const [groups] = await app.core.db.sql.query<RowDataPacket[]>('SELECT variant_id, COUNT(*) AS n FROM messages WHERE campaign_id = ? AND variant_id IS NOT NULL GROUP BY variant_id', [campaign.id]);
    expect(groups.map((g) => Number(g.n))).toEqual([100, 100]);
    clock.advance(10 * 60_000);
    await open(/^Plain/, 20);
    await open(/50% off/, 45);

    // Before the window ends nothing is decided and the remainder waits.
    expect(await drain(app, sender, ws.workspaceId)).toBe(0);
    const live = await gqlOk(app, ws.key, CampaignAbResultsDocument, { id: encodeGlobalID('Campaign', String(campaign.id)) });
    expect(live.campaign.abResults).toMatchObject({ decided: false, winnerVariantId: null });

    clock.advance(60 * 60_000);
    expect(await drain(app, sender, ws.workspaceId)).toBe(200);
    const { campaign: res } = await gqlOk(app, ws.key, CampaignAbResultsDocument, { id: encodeGlobalID('Campaign', String(campaign.id)) });
    expect(res.status).toBe('SENT');
    expect(res.winnerVariant!.name).toBe('B');
    const r = res.abResults!;
    expect(r).toMatchObject({ decided: true, significant: true, rule: 'significant', metric: 'OPEN', winnerVariantId: res.winnerVariant!.id });
    expect(r.variants.map((x) => [x.name, x.recipients, x.successes, x.value])).toEqual([['A', 100, 20, 0.2], ['B', 100, 45, 0.45]]);
    for (const x of r.variants) expect(x.low < x.value && x.value < x.high).toBe(true);
    expect(r.comparisons[0].pValue).toBeLessThan(0.05);
    const [sent] = await app.core.db.sql.query<RowDataPacket[]>(
      "SELECT v.name, COUNT(*) AS n FROM messages m JOIN campaign_variants v ON v.id = m.variant_id WHERE m.campaign_id = ? AND m.sent_at IS NOT NULL GROUP BY v.name ORDER BY v.name", [campaign.id]);
    expect(sent.map((s) => [s.name, Number(s.n)])).toEqual([['A', 100], ['B', 300]]);
  });

  test('a variant\'s rate in abResults is the rate Campaign.metrics shows: clicks imply opens, bounces leave the denominator', async () => {
    const { campaign } = await abCampaign('CONTROL');
    clock.advance(10 * 60_000);
    await open(/^Plain/, 10);
    const [test] = await app.core.db.sql.query<RowDataPacket[]>(
      'SELECT m.id, v.name FROM messages m JOIN campaign_variants v ON v.id = m.variant_id WHERE m.campaign_id = ? AND m.opened_at IS NULL ORDER BY m.id', [campaign.id]);
    const ids = (name: string, n: number) => test.filter((r) => r.name === name).slice(0, n).map((r) => BigInt(r.id));
    const event = (id: bigint, type: MessageEventInput['type'], extra: Partial<MessageEventInput> = {}): MessageEventInput =>
      ({ messageId: id, type, occurredAt: clock.now, source: 'webhook:test', dedupeKey: `ab:${type}:${id}`, ...extra });
    await applyMessageEvents(app.core, ws.workspaceId, [
      ...ids('B', 6).map((id) => event(id, 'click', { url: 'https://shop.example/sale' })), // clicked, no open recorded (images off)
      ...ids('A', 4).map((id) => event(id, 'bounce', { bounceClass: 'hard' })),
    ]);
    const { campaign: res } = await gqlOk<{ campaign: { abResults: { variants: { name: string; recipients: number; successes: number; value: number }[] }; metrics: { variants: { name: string; delivered: number; opened: number; openRate: number }[] } } }>(
      app, ws.key, `query ($id: ID!) { campaign(id: $id) {
        abResults { variants { name recipients successes value } }
        metrics { variants { name delivered opened openRate } } } }`, { id: encodeGlobalID('Campaign', String(campaign.id)) });
    expect(res.abResults.variants.map((v) => [v.name, v.recipients, v.successes, v.value])).toEqual([['A', 96, 10, 10 / 96], ['B', 100, 6, 0.06]]);
    expect(res.metrics.variants.map((v) => [v.name, v.delivered, v.opened, v.openRate])).toEqual(res.abResults.variants.map((v) => [v.name, v.recipients, v.successes, v.value]));
  });

  test('without significance the configured fallback decides (CONTROL: the first variant)', async () => {
    const { campaign, sender } = await abCampaign('CONTROL');
    clock.advance(10 * 60_000);
    await open(/^Plain/, 20);
    await open(/50% off/, 24);
    clock.advance(60 * 60_000);
    await drain(app, sender, ws.workspaceId);
    const { campaign: res } = await gqlOk(app, ws.key, CampaignAbResultsDocument, { id: encodeGlobalID('Campaign', String(campaign.id)) });
    expect(res.abResults).toMatchObject({ decided: true, significant: false, rule: 'fallback:CONTROL' });
    expect(res.winnerVariant!.name).toBe('A');
  });
});
