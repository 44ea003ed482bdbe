// Save-time compilation and per-message rendering, against the real database: MJML with
// Liquid around sections, links decorated per message, the generated text part, escaping.
import type { App } from '../../api/app';
import { outbox } from '../../plugins/outbox';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { createContact } from '../../core/contacts/contacts.service';
import { defineAttribute } from '../../core/attributes/attribute-definitions';
import {
  compileTemplateContent, createTemplate, loadPreparedTemplate, loadTemplateScopes, renderMessage, renderPreview, PREVIEW_UNSUBSCRIBE_URL,
} from '../../core/templates';
import { WELCOME } from './fixtures';

let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp({ plugins: [outbox()] });
});
afterAll(async () => {
  await app.close();
});
beforeEach(async () => {
  ws = await createTestWorkspace(app, { name: 'Example Shop' });
  await defineAttribute(ws.ctx, { key: 'tier', label: 'Tier', type: 'STRING' });
});

async function contact(input: { email: string; firstName?: string; attributes?: Record<string, unknown> }) {
  return createContact(ws.ctx, input as never);
}

test('a saved template renders per contact: Liquid in text and links, conditionals around sections, escaping', async () => {
  const saved = await createTemplate(ws.ctx, { name: 'Welcome', content: WELCOME });
  expect(saved).toMatchObject({ version: 1, created: true });
  const ada = await contact({ email: 'ada@example.com', firstName: 'Ada <script>', attributes: { tier: 'gold' } });

  const tpl = await loadPreparedTemplate(ws.ctx, { versionId: saved.versionId });
  const scopes = await loadTemplateScopes(ws.ctx, { contactIds: [ada.id], campaign: { id: 7, name: 'Spring' } });
  const scope = scopes.get(ada.id)!;
  scope.recommendations = [{ name: 'Red shoes', url: 'https://shop.example.com/p/red?c=1&d=2' }];
  const clicks: [string, number][] = [];
  const email = renderMessage(tpl, scope, {
    unsubscribeUrl: 'https://t.example/u/abc',
    openPixelUrl: 'https://t.example/o/abc.gif',
    utm: { utm_source: 'personae', utm_campaign: 'spring' },
    linkUrl: (url, i) => {
      clicks.push([url, i]);
      return `https://t.example/c/${i}?u=${encodeURIComponent(url)}`;
    },
  });

  expect(email.subject).toBe('Ada <script>, new arrivals for Example Shop');
  expect(email.preheader).toBe('Picked for gold');
  expect(email.html).toContain('Hello Ada &lt;script&gt;!');
  expect(email.html).not.toContain('<script>');
  expect(email.html).toContain('Your tier: GOLD.');
  expect(email.html).not.toContain('VIP corner');
  // The preheader is hidden at the top of the body.
  expect(email.html).toMatch(/<body[^>]*><div style="display:none;[^"]*">Picked for gold<\/div>/);
  // Every http(s) link went through tracking once (HTML and text share it), with UTM added
  // first; the unsubscribe link did not.
  expect(clicks.map(([, i]) => i).sort()).toEqual([0, 1, 2]);
  expect(clicks).toContainEqual(['https://shop.example.com/p/red?c=1&d=2&utm_source=personae&utm_campaign=spring', 2]);
  expect(email.html).toContain('href="https://t.example/u/abc"');
  expect(email.html).toContain(`href="https://t.example/c/1?u=${encodeURIComponent('https://shop.example.com/new?ref=mail&x=1&utm_source=personae&utm_campaign=spring')}"`);
  expect(email.html).toMatch(/<img src="https:\/\/t\.example\/o\/abc\.gif" width="1" height="1" alt=""[^>]*\/><\/body>/);
  // The text part: readable, same personalisation, tracked links, no markup.
  expect(email.text).toContain('Hello Ada <script>!');
  expect(email.text).toContain('Red shoes [https://t.example/c/2?u=');
  expect(email.text).toContain('Unsubscribe [https://t.example/u/abc]');
  expect(email.text).not.toMatch(/<(div|table|td|a|p|h1)\b|&amp;|[\u0001-\u0003]/);
});

test('persona membership switches a section on', async () => {
  const saved = await createTemplate(ws.ctx, { name: 'Welcome', content: WELCOME });
  const grace = await contact({ email: 'grace@example.com', firstName: 'Grace' });
  const tpl = await loadPreparedTemplate(ws.ctx, { versionId: saved.versionId });
  const scope = (await loadTemplateScopes(ws.ctx, { contactIds: [grace.id] })).get(grace.id)!;
  scope.contact.personas = ['vip'];
  const email = renderMessage(tpl, scope, { unsubscribeUrl: 'https://t.example/u/1' });
  expect(email.html).toContain('VIP corner: early access for you, Grace.');
  expect(email.text).toContain('VIP corner: early access for you, Grace.');
});

test('renderPreview shows what one contact gets, with untracked links', async () => {
  const saved = await createTemplate(ws.ctx, { name: 'Welcome', content: WELCOME });
  const c = await contact({ email: 'lin@example.com', firstName: 'Lin', attributes: { tier: 'silver' } });
  const preview = await renderPreview(ws.ctx, { templateId: saved.templateId, contactId: c.id });
  expect(preview).toMatchObject({ subject: 'Lin, new arrivals for Example Shop', version: 1, contactId: c.id });
  expect(preview.html).toContain(`href="${PREVIEW_UNSUBSCRIBE_URL}"`);
  expect(preview.html).toContain('href="https://shop.example.com/new?ref=mail&amp;x=1"');
  expect(preview.htmlBytes).toBeGreaterThan(1000);
});

test('MJML error lines stay right after multi-line Liquid tags', async () => {
  const source = [
    '<mjml>', //                                                   1
    '  <mj-body>', //                                              2
    '    <mj-section><mj-column><mj-text>{% comment %}', //        3
    '      a long note', //                                        4
    '    {% endcomment %}{{ contact.first_name', //                5
    '      | default: "x" }}</mj-text>', //                        6
    '        <mj-nonsense />', //                                  7
    '    </mj-column></mj-section>', //                            8
    '  </mj-body>',
    '</mjml>',
  ].join('\n');
  await expect(compileTemplateContent(ws.ctx, { subject: 's', mjml: source })).rejects.toMatchObject({
    issues: [{ path: ['mjml'], message: expect.stringMatching(/^line 7: Element mj-nonsense doesn't exist/) }],
  });
});
