// Per-message render throughput: a realistic ~30 KB MJML newsletter (profile fields, persona
// conditionals, a recommendations loop, 20+ links) compiled once, then rendered for many
// contacts with click tracking, UTM, open pixel and unsubscribe URL, as the worker does.
// Baseline in the same run: Liquid alone on the same compiled HTML (no decoration, no text part).
//   npx tsx bench/templates/render.bench.ts
import { createHmac } from 'node:crypto';
import { compileMjml } from '../../core/templates/mjml-compile';
import { htmlToText } from '../../core/templates/text-part';
import { prepareTemplate } from '../../core/templates/prepared-template';
import { renderMessage } from '../../core/templates/render-message';
import { htmlLiquid } from '../../core/templates/liquid-engine';
import { emptyScope, type TemplateScope } from '../../core/templates/template-scope';

const PRODUCTS = Array.from({ length: 12 }, (_, i) => `
      <mj-column width="33%">
        <mj-image src="https://cdn.shop.example/p/${i}.jpg" alt="Product ${i}" href="https://shop.example/p/${i}?ref=news"></mj-image>
        <mj-text align="center" font-size="14px">Product ${i} — a short description that makes the email about as long as a real newsletter.</mj-text>
        <mj-button href="https://shop.example/cart/add/${i}">Add to cart</mj-button>
      </mj-column>`);

const MJML = `<mjml>
  <mj-head><mj-attributes><mj-all font-family="Helvetica, Arial, sans-serif" /></mj-attributes></mj-head>
  <mj-body background-color="#f4f4f4">
    <mj-section><mj-column>
      <mj-image src="https://cdn.shop.example/logo.png" alt="Shop" href="https://shop.example/"></mj-image>
      <mj-text font-size="20px">Hi {{ contact.first_name | default: "there" }},</mj-text>
      <mj-text>You have {{ profile.purchase_count }} orders with us ({{ profile.monetary_total | round: 2 }} spent); your favourite is {{ profile.top_interest | default: "everything" }}.</mj-text>
    </mj-section>
    {% if contact.personas contains "lapsed-big-spenders" %}
    <mj-section><mj-column><mj-text>We miss you, {{ contact.first_name }}: here is 20% off with code COMEBACK.</mj-text>
      <mj-button href="https://shop.example/comeback?code=COMEBACK">Use my code</mj-button></mj-column></mj-section>
    {% endif %}
    <mj-section>${PRODUCTS.slice(0, 3).join('')}</mj-section>
    <mj-section>${PRODUCTS.slice(3, 6).join('')}</mj-section>
    <mj-section>${PRODUCTS.slice(6, 9).join('')}</mj-section>
    <mj-section>${PRODUCTS.slice(9, 12).join('')}</mj-section>
    <mj-section><mj-column>
      {% for r in recommendations limit: 4 %}
      <mj-text><a href="{{ r.url }}">{{ r.name }}</a> — {{ r.price }}</mj-text>
      {% endfor %}
    </mj-column></mj-section>
    <mj-section><mj-column>
      <mj-text font-size="11px" color="#888">You get this because you subscribed at {{ workspace.name }}. <a href="{{ unsubscribe_url }}">Unsubscribe</a> · <a href="https://shop.example/preferences">Preferences</a></mj-text>
    </mj-column></mj-section>
  </mj-body>
</mjml>`;

async function main() {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const t0 = performance.now();
  const compiled = await compileMjml(MJML, ['mjml'], issues);
  const compileMs = performance.now() - t0;
  if (!compiled) throw new Error(JSON.stringify(issues));
  const html = compiled.restore(compiled.protectedHtml);
  const text = compiled.restore(htmlToText(compiled.protectedHtml));
  const tpl = prepareTemplate({ id: 1, templateId: 1, version: 1, workspaceId: 1, subject: '{{ contact.first_name | default: "Hi" }}, picked for you', preheader: 'New in {{ profile.top_interest | default: "store" }}', html, text });

  const N = 20_000;
  const scopes: TemplateScope[] = Array.from({ length: 1000 }, (_, i) => {
    const s = emptyScope({ id: 1, name: 'Shop', timezone: 'UTC' }, { id: i, email: `c${i}@example.com`, first_name: `Name${i}`, personas: i % 3 ? [] : ['lapsed-big-spenders'] });
    s.profile = { purchase_count: i % 17, monetary_total: i * 3.7, top_interest: i % 2 ? 'shoes' : null };
    s.recommendations = [1, 2, 3, 4].map((k) => ({ name: `Rec ${k}`, url: `https://shop.example/r/${(i + k) % 50}`, price: 10 * k }));
    return s;
  });
  const key = Buffer.from('bench-key');
  const utm = { utm_source: 'personae', utm_medium: 'email', utm_campaign: 'bench' };
  const decorate = (i: number, sign: boolean) => ({
    unsubscribeUrl: `https://t.example/u/${i}`,
    openPixelUrl: `https://t.example/o/${i}.gif`,
    utm,
    // With `sign`, what click tracking costs in a worker: an HMAC-signed token per link.
    linkUrl: sign
      ? (url: string, idx: number) => `https://t.example/c/${i}.${idx}.${createHmac('sha256', key).update(`${i}:${url}`).digest('base64url').slice(0, 22)}`
      : (_url: string, idx: number) => `https://t.example/c/${i}.${idx}`,
  });
  const perMessage = (fn: (i: number) => unknown) => {
    for (let i = 0; i < 2000; i++) fn(i);
    const t = performance.now();
    for (let i = 0; i < N; i++) fn(i);
    return (performance.now() - t) / N;
  };

  let bytes = 0;
  const renderMs = perMessage((i) => (bytes += renderMessage(tpl, scopes[i % scopes.length], decorate(i, false)).html.length));
  const signedMs = perMessage((i) => renderMessage(tpl, scopes[i % scopes.length], decorate(i, true)));
  const plain = htmlLiquid.parse(html);
  const liquidMs = perMessage((i) => htmlLiquid.renderSync(plain, { ...scopes[i % scopes.length], unsubscribe_url: 'x', preheader: '' }));

  const line = (label: string, ms: number) => console.log(`${label}: ${(ms * 1000).toFixed(1)} µs/message = ${Math.round(1000 / ms)} messages/s on one core`);
  console.log(`compiled html: ${(Buffer.byteLength(html) / 1024).toFixed(1)} KB, ${tpl.links.length} tracked links; rendered html ≈ ${(bytes / (N + 2000) / 1024).toFixed(1)} KB`);
  console.log(`mjml compile (once per version, at save): ${compileMs.toFixed(1)} ms`);
  line('renderMessage (subject, preheader, html, text; utm, tracked links, pixel)', renderMs);
  line('renderMessage + HMAC-signed click token per link (worker cost)', signedMs);
  line('baseline: Liquid renderSync of the html alone', liquidMs);
}

void main();
