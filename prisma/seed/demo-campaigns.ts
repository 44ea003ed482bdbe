// The demo's personas and two campaigns sent in the past, with opens, clicks and conversions,
// so the dashboard, campaignStats and the persona breakdown have something to show on first
// start. Everything goes through the product's own paths, on a clock set back to each
// campaign's day:
// - personas are created and refreshed like any;
// - campaigns are launched and sent by the real sender through the built-in outbox, so
//   nothing leaves the machine;
// - engagement is applied as message events, as provider webhooks and our tracking routes
//   apply them, so the analytics rollups are built incrementally as in production;
// - bounces, complaints and unsubscribes reach the suppression list as they would.
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../../core/context';
import { forWorkspace } from '../../core/context';
import { createPersona } from '../../core/personas/personas.service';
import { createTemplate } from '../../core/templates';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { CampaignSender } from '../../core/delivery/campaign-sender';
import { completeFinished } from '../../core/delivery/delivery-maintenance';
import { applyMessageEvents, type MessageEventInput } from '../../core/delivery/message-events';
import type { Random } from './seeded-random';

const DAY = 86_400_000;

const PERSONAS = [
  { slug: 'loyal', name: 'Loyalty members', description: 'In the loyalty programme', rule: { attribute: { key: 'loyalty_member', op: 'EQ', value: true } } },
  { slug: 'big-spenders', name: 'Big spenders', description: 'Spent 250 or more in the last 90 days', rule: { event: { type: 'purchase', within: 'P90D', sum: { op: 'GTE', value: 250 } } } },
  { slug: 'over-60', name: 'Over 60', description: 'Aged over 60', rule: { attribute: { key: 'age', op: 'GT', value: 60 } } },
] as const;

const LINKS = ['https://shop.example.com/new-in', 'https://shop.example.com/sale', 'https://shop.example.com/loyalty'];

const MJML = `<mjml><mj-body>
<mj-section><mj-column>
  <mj-text font-size="20px">Hello {{ contact.first_name | default: "there" }},</mj-text>
  {% if contact.personas contains "loyal" %}<mj-text>As a loyalty member you get early access.</mj-text>{% endif %}
  <mj-button href="${LINKS[0]}">See what's new</mj-button>
  <mj-text><a href="${LINKS[1]}">Shop the sale</a> · <a href="${LINKS[2]}">Your loyalty points</a></mj-text>
  <mj-text font-size="11px"><a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text>
</mj-column></mj-section>
</mj-body></mjml>`;

/** Engagement per persona: added to the base rates (opens of delivered, clicks of openers). */
const LIFT: Record<string, { open: number; click: number }> = { loyal: { open: 0.15, click: 0.1 }, 'big-spenders': { open: 0.1, click: 0.15 }, 'over-60': { open: -0.05, click: -0.05 } };

export interface DemoCampaignsResult {
  personas: number;
  campaigns: number;
}

/** Creates the personas, the template and two sent campaigns of the demo workspace. */
export async function seedDemoCampaigns(core: CoreContext, workspaceId: number, rnd: Random, publicUrl: string): Promise<DemoCampaignsResult> {
  const now = core.now();
  const ctx = forWorkspace(core, workspaceId, { type: 'system', name: 'demo-seed' });
  const personaIds = new Map<string, number>();
  for (const p of PERSONAS) personaIds.set(p.slug, (await createPersona(ctx, { ...p, rule: p.rule })).persona.id);
  const { templateId } = await createTemplate(ctx, { name: 'Newsletter', content: { subject: '{{ contact.first_name | default: "Hi" }}, new in this week', mjml: MJML } });

  const plans = [
    { daysAgo: 21, input: { name: 'Spring newsletter', from: { email: 'news@shop.example', name: 'Demo shop' }, variants: [{ templateId }] } },
    {
      daysAgo: 6,
      input: {
        name: 'Loyalty weekend',
        from: { email: 'news@shop.example', name: 'Demo shop' },
        audience: { includePersonaIds: [personaIds.get('loyal')!] },
        variants: [{ templateId, subject: '{{ contact.first_name | default: "Hi" }}, your loyalty weekend starts now' }],
      },
    },
  ];
  for (const plan of plans) {
    // The campaign's day: launch, sending, and the timestamps of what followed.
    const at = new Date(now.getTime() - plan.daysAgo * DAY);
    let clock = at;
    const then: CoreContext = { ...core, now: () => clock };
    const past = forWorkspace(then, workspaceId, ctx.actor);
    const campaign = await createCampaign(past, plan.input);
    await launchCampaign(past, campaign.id);
    const sender = new CampaignSender(then, { owner: 'demo-seed', publicUrl });
    try {
      while ((await sender.sendBatch(campaign.id)).claimed) {
        // until every message is sent (or skipped by the frequency cap)
      }
    } finally {
      await sender.close();
    }
    await engage(core, workspaceId, campaign.id, at, rnd, now);
    clock = new Date(at.getTime() + 4 * 60_000); // when the scheduler would have found it done
    await completeFinished(then, { workspaceId });
  }
  return { personas: PERSONAS.length, campaigns: plans.length };
}

/** Delivery, opens, clicks, conversions and opt-outs of a sent campaign, in the days after `sentAt`. */
async function engage(core: CoreContext, workspaceId: number, campaignId: number, sentAt: Date, rnd: Random, now: Date): Promise<void> {
  const [rows] = await core.db.sql.query<RowDataPacket[]>(
    `SELECT m.id, GROUP_CONCAT(p.slug) AS personas FROM messages m
       LEFT JOIN persona_members pm ON pm.workspace_id = m.workspace_id AND pm.contact_id = m.contact_id
       LEFT JOIN personas p ON p.id = pm.persona_id
      WHERE m.campaign_id = ? AND m.status = 'SENT' GROUP BY m.id ORDER BY m.id`,
    [campaignId],
  );
  // Some time after `t`, typically `scaleMs` (half-normal), never after now: each step follows the one before.
  const after = (t: Date, scaleMs: number) => new Date(Math.min(now.getTime() - 60_000, t.getTime() + 1_000 + Math.abs(rnd.normal()) * scaleMs));
  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;
  const events: MessageEventInput[] = [];
  for (const r of rows) {
    const messageId = BigInt(r.id);
    const slugs: string[] = r.personas ? String(r.personas).split(',') : [];
    const lift = slugs.reduce((l, s) => ({ open: l.open + (LIFT[s]?.open ?? 0), click: l.click + (LIFT[s]?.click ?? 0) }), { open: 0, click: 0 });
    const ev = (type: MessageEventInput['type'], occurredAt: Date, extra: Partial<MessageEventInput> = {}) =>
      events.push({ messageId, type, occurredAt, source: 'demo', dedupeKey: `demo:${r.id}:${type}:${events.length}`, ...extra });
    const delivered = after(sentAt, 5 * MINUTE);
    if (rnd.next() < 0.015) {
      ev('bounce', delivered, rnd.next() < 0.3 ? { bounceClass: 'hard', reason: '550 5.1.1 user unknown' } : { bounceClass: 'soft', reason: '452 4.2.2 mailbox full' });
      continue;
    }
    ev('delivered', delivered);
    if (rnd.next() < 0.08) ev('open', after(delivered, MINUTE), { machine: true }); // privacy proxies fetch the pixel on delivery
    if (rnd.next() >= 0.3 + lift.open) {
      if (rnd.next() < 0.004) ev('unsubscribe', after(delivered, 20 * HOUR));
      continue;
    }
    const opened = after(delivered, 14 * HOUR);
    ev('open', opened);
    for (let again = rnd.poisson(0.6); again > 0; again--) ev('open', after(opened, 24 * HOUR));
    if (rnd.next() < 0.0005) ev('spamreport', after(opened, 5 * MINUTE));
    else if (rnd.next() < 0.003) ev('unsubscribe', after(opened, 5 * MINUTE));
    if (rnd.next() >= 0.22 + lift.click) continue;
    const url = rnd.weighted([[LINKS[0], 5], [LINKS[1], 3], [LINKS[2], slugs.includes('loyal') ? 4 : 1]] as const);
    const clicked = after(opened, 10 * MINUTE);
    ev('click', clicked, { url });
    if (rnd.next() < 0.15) ev('conversion', after(clicked, 2 * HOUR), { value: Math.round(45 * Math.exp(0.5 * rnd.normal()) * 100) / 100 });
  }
  for (let i = 0; i < events.length; i += 2000) await applyMessageEvents(core, workspaceId, events.slice(i, i + 2000));
}
