// Templates are written by workspace users: they cannot read files, reach prototypes, forge
// our link markers through contact data, or run away with a loop.
import type { App } from '../../api/app';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { compileTemplateContent, emptyScope, prepareTemplate, renderMessage } from '../../core/templates';
import { ValidationError } from '../../core/errors';

let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
});
afterAll(async () => {
  await app.close();
});

const mjml = (text: string) => `<mjml><mj-body><mj-section><mj-column><mj-text>${text}</mj-text></mj-column></mj-section></mj-body></mjml>`;

async function issuesOf(content: { subject?: string; mjml: string }) {
  try {
    await compileTemplateContent(ws.ctx, { subject: content.subject ?? 'x', mjml: content.mjml });
    return [];
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return err.issues!.map((i) => i.message);
  }
}

async function render(text: string, contact: Record<string, unknown> = {}) {
  const compiled = await compileTemplateContent(ws.ctx, { subject: 'x', mjml: mjml(text) });
  const tpl = prepareTemplate({ id: 1, templateId: 1, version: 1, workspaceId: ws.workspaceId, subject: 'x', preheader: null, html: compiled.html, text: compiled.text });
  const scope = emptyScope({ id: ws.workspaceId, name: 'w', timezone: 'UTC' }, contact);
  return renderMessage(tpl, scope, { unsubscribeUrl: 'https://t.example/u', linkUrl: (u, i) => `https://t.example/c/${i}?u=${encodeURIComponent(u)}` });
}

test('include, render and layout cannot read files', async () => {
  for (const tag of ['{% include "secrets.txt" %}', '{% render "/etc/passwd" %}', '{% layout "x" %}']) {
    expect(await issuesOf({ mjml: mjml(tag) })).toEqual([expect.stringMatching(/is not available in email templates/)]);
  }
  expect(await issuesOf({ mjml: '<mjml><mj-body><mj-include path="/etc/passwd" /></mj-body></mjml>' })).toEqual([expect.stringMatching(/^line 1: <mj-include> is not supported/)]);
});

test('prototype properties are not reachable: refused at save, empty at render', async () => {
  expect(await issuesOf({ mjml: mjml('{{ contact.constructor }}') })).toEqual([expect.stringMatching(/unknown field "contact.constructor"/)]);
  // Even a version stored without checks renders nothing from prototypes.
  const tpl = prepareTemplate({
    id: 1, templateId: 1, version: 1, workspaceId: ws.workspaceId, subject: 'x', preheader: null, text: '',
    html: '[{{ contact.constructor }}][{{ contact.attributes.__proto__ }}][{{ contact.email.constructor.name }}][{{ recommendations.constructor }}]',
  });
  const email = renderMessage(tpl, emptyScope({ id: 1, name: 'w', timezone: 'UTC' }, { email: 'a@b.co' }), { unsubscribeUrl: 'u' });
  expect(email.html).toBe('[][][][]');
});

test('contact data is escaped and cannot forge a tracked link', async () => {
  const evil = '\u0001' + '0\u0002javascript:alert(1)\u0003<img src=x onerror=alert(1)>';
  const email = await render('<a href="https://shop.example/">Shop</a> {{ contact.first_name }}', { first_name: evil });
  expect(email.html).toContain('0javascript:alert(1)&lt;img src=x onerror=alert(1)&gt;');
  expect(email.html).not.toMatch(/[\u0001-\u0003]/);
  expect(email.html).toContain(`href="https://t.example/c/0?u=${encodeURIComponent('https://shop.example/')}"`);
  expect(email.html.match(/t\.example\/c\//g)).toHaveLength(1);
});

test('a runaway loop hits the render limits instead of hanging a worker', async () => {
  await expect(render('{% for i in (1..100000000) %}{{ i }}{% endfor %}')).rejects.toThrow(/memory|limit/i);
});
