// Seeds the send benchmark: a workspace with N subscribed contacts and their profiles (bulk
// INSERTs), a newsletter template reading contact and profile fields, and a SendGrid
// integration pointed at the fake through the plugin's baseUrl.
import type { WorkspaceContext } from '../../core/context';
import { chunk } from '../../core/db/sql-helpers';
import { createTemplate } from '../../core/templates';
import { createIntegration } from '../../core/integrations/integration-configs';

const ZONES = ['Europe/London', 'Europe/Paris', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', null];
const INTERESTS = ['shoes', 'bags', 'outdoor', 'kitchen', null];
const STAGES = ['NEW', 'ACTIVE', 'AT_RISK', 'LAPSED'];

export async function seedContacts(ctx: WorkspaceContext, n: number): Promise<void> {
  const now = ctx.now();
  for (const part of chunk(Array.from({ length: n }, (_, i) => i), 5000)) {
    const rows = part.map((i) => [ctx.workspaceId, `reader${i}@bench.example`, `reader${i}@bench.example`, `Reader${i}`, i % 3 ? `Smith${i % 97}` : null, ZONES[i % ZONES.length], 'SUBSCRIBED', now, now]);
    await ctx.db.sql.query('INSERT INTO contacts (workspace_id, email, email_normalized, first_name, last_name, timezone, consent_status, created_at, updated_at) VALUES ?', [rows]);
  }
  // Profiles for every contact: the template reads them.
  await ctx.db.sql.query(
    `INSERT INTO contact_profiles (contact_id, workspace_id, preferred_hour, lifecycle_stage, top_interest, purchase_count, monetary_total, computed_at)
     SELECT id, workspace_id, id % 24, ELT(1 + id % 4, ?, ?, ?, ?), ELT(1 + id % 5, ?, ?, ?, ?, ?), id % 7, (id % 500) * 1.5, ? FROM contacts WHERE workspace_id = ?`,
    [...STAGES, ...INTERESTS.map((x) => x ?? ''), now, ctx.workspaceId],
  );
}

export const NEWSLETTER = `<mjml><mj-body>
<mj-section><mj-column>
  <mj-text font-size="20px">Hi {{ contact.first_name | default: "there" }}{% if contact.last_name %} {{ contact.last_name }}{% endif %},</mj-text>
  {% if profile.lifecycle_stage == "LAPSED" %}<mj-text>We miss you: here is 15% off your next order.</mj-text>{% endif %}
  <mj-text>Picked for you in {{ profile.top_interest | default: "new arrivals" }} — you have ordered {{ profile.purchase_count }} times.</mj-text>
  <mj-button href="https://shop.example.com/c/{{ profile.top_interest | default: 'new' }}">Shop {{ profile.top_interest | default: "now" }}</mj-button>
</mj-column></mj-section>
<mj-section>
  <mj-column><mj-image src="https://cdn.shop.example.com/a.jpg" alt="Item A" href="https://shop.example.com/p/a" /><mj-text>Item A</mj-text></mj-column>
  <mj-column><mj-image src="https://cdn.shop.example.com/b.jpg" alt="Item B" href="https://shop.example.com/p/b" /><mj-text>Item B</mj-text></mj-column>
  <mj-column><mj-image src="https://cdn.shop.example.com/c.jpg" alt="Item C" href="https://shop.example.com/p/c" /><mj-text>Item C</mj-text></mj-column>
</mj-section>
<mj-section><mj-column>
  <mj-text font-size="11px">You get this because you subscribed. <a href="{{ unsubscribe_url }}">Unsubscribe</a> · <a href="https://shop.example.com/preferences">Preferences</a></mj-text>
</mj-column></mj-section>
</mj-body></mjml>`;

export async function seedCampaignSetup(ctx: WorkspaceContext, apiKey: string) {
  const tpl = await createTemplate(ctx, { name: 'Bench newsletter', content: { subject: '{{ contact.first_name }}, new in {{ profile.top_interest | default: "the shop" }}', preheader: 'This week only', mjml: NEWSLETTER } });
  const integration = await createIntegration(ctx, { kind: 'EMAIL_PROVIDER', key: 'sendgrid', name: 'SendGrid (fake)', isDefault: true, config: { apiKey, batchSize: 500, concurrency: Number(process.env.SG_CONCURRENCY ?? 8) } });
  return { templateId: tpl.templateId, integrationId: integration.id };
}
