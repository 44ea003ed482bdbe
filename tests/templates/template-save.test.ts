// Saving through GraphQL: compile errors with paths and line numbers, nothing partial saved,
// lint warnings, versions that stay as they were, tenancy.
import type { App } from '../../api/app';
import { outbox } from '../../plugins/outbox';
import { countStatements, createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { gql, gqlOk, errorCodes } from '../support/graphql-client';
import {
  CheckTemplateDocument, CreateContactDocument, CreateTemplateDocument, RenderPreviewDocument, SaveTemplateVersionDocument,
  TemplateDocument, TemplatesDocument, UpdateTemplateDocument,
} from '../generated/graphql';
import { defineAttribute } from '../../core/attributes/attribute-definitions';
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
  ws = await createTestWorkspace(app);
  await defineAttribute(ws.ctx, { key: 'tier', label: 'Tier', type: 'STRING' });
});

const mjml = (body: string) => `<mjml>\n  <mj-body>\n${body}\n  </mj-body>\n</mjml>`;

test('MJML errors, Liquid syntax errors and unknown variables are reported with lines, and nothing is saved', async () => {
  const res = await gql(app, ws.key, CreateTemplateDocument, {
    input: {
      name: 'Broken',
      content: {
        subject: 'Hi {{ contact.frist_name }}',
        mjml: mjml(`    <mj-section>\n      <mj-column>\n        <mj-text>{{ contact.attributes.shoe_size }}</mj-text>\n        <mj-bogus>x</mj-bogus>\n      </mj-column>\n    </mj-section>`),
      },
    },
  });
  expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  const issues = res.errors![0].extensions!.issues!;
  expect(issues).toEqual(expect.arrayContaining([
    { path: ['input', 'content', 'subject'], message: expect.stringMatching(/^line 1, column 7: unknown field "contact.frist_name"/) },
    { path: ['input', 'content', 'mjml'], message: expect.stringMatching(/^line 5, column \d+: unknown attribute "shoe_size": define it first/) },
    { path: ['input', 'content', 'mjml'], message: expect.stringMatching(/^line 6: Element mj-bogus doesn't exist/) },
  ]));

  const syntax = await gql(app, ws.key, CreateTemplateDocument, {
    input: { name: 'Broken', content: { subject: 'ok', mjml: mjml('    <mj-section><mj-column><mj-text>\n{% if contact.email %}\n{{ contact.email | nosuchfilter }}</mj-text></mj-column></mj-section>') } },
  });
  expect(syntax.errors![0].extensions!.issues).toEqual([
    { path: ['input', 'content', 'mjml'], message: expect.stringMatching(/^line 4, column 1: tag if not closed|^line \d+, column \d+: undefined filter: nosuchfilter/) },
  ]);

  const list = await gqlOk(app, ws.key, TemplatesDocument, { first: 10 });
  expect(list.templates.totalCount).toBe(0);
});

test('a Liquid tag MJML would drop is an error with its line, not a silently different email', async () => {
  const res = await gql(app, ws.key, CheckTemplateDocument, {
    content: { subject: 'x', mjml: mjml('    <mj-section background-color="{% if contact.email %}#fff{% endif %}"><mj-column><mj-text>hi</mj-text></mj-column></mj-section>') },
  });
  expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  expect(res.errors![0].extensions!.issues![0]).toMatchObject({ path: ['content', 'mjml'], message: expect.stringMatching(/^line 3: /) });
});

test('lint warns without blocking the save', async () => {
  const res = await gqlOk(app, ws.key, CreateTemplateDocument, {
    input: { name: 'Image only', content: { subject: 'Look', mjml: mjml('    <mj-section><mj-column>\n      <mj-image src="https://x.example/banner.png"></mj-image>\n    </mj-column></mj-section>') } },
  });
  expect(res.createTemplate.created).toBe(true);
  expect(res.createTemplate.warnings.map((w) => [w.code, w.line])).toEqual([
    ['NO_UNSUBSCRIBE_LINK', null],
    ['NO_TEXT_PART', null],
    ['IMAGE_WITHOUT_ALT', 4],
  ]);

  const big = await gqlOk(app, ws.key, CheckTemplateDocument, {
    content: {
      subject: 'Big',
      mjml: mjml(`    <mj-section><mj-column><mj-text>${'Lorem ipsum dolor sit amet. '.repeat(4000)}<a href="{{ unsubscribe_url }}">Unsubscribe</a> {% if contact.personas contains "no-such-persona" %}x{% endif %}</mj-text></mj-column></mj-section>`),
    },
  });
  expect(big.checkTemplate.warnings.map((w) => w.code).sort()).toEqual(['HTML_TOO_LARGE', 'UNKNOWN_PERSONA']);
  expect(big.checkTemplate.htmlBytes).toBeGreaterThan(102 * 1024);
});

test('each content change is a new immutable version; unchanged content is not', async () => {
  const created = await gqlOk(app, ws.key, CreateTemplateDocument, { input: { name: 'Welcome', content: WELCOME } });
  expect(created.createTemplate.warnings).toEqual([
    { code: 'UNKNOWN_PERSONA', field: 'mjml', line: 13, message: 'no persona has the slug "vip" (yet): this condition is false for every contact' },
  ]);
  expect(created.createTemplate.version.variables).toEqual(expect.arrayContaining(['contact.first_name', 'contact.attributes.tier', 'workspace.name', 'unsubscribe_url']));
  const templateId = created.createTemplate.template.id;
  const v1 = created.createTemplate.version.id;

  const same = await gqlOk(app, ws.key, SaveTemplateVersionDocument, { templateId, content: WELCOME });
  expect(same.saveTemplateVersion).toMatchObject({ created: false, version: { id: v1, version: 1 } });

  await app.core.db.prisma.persona.create({ data: { workspaceId: ws.workspaceId, slug: 'vip', name: 'VIP', kind: 'RULE', definition: {} } });
  const v2 = await gqlOk(app, ws.key, SaveTemplateVersionDocument, { templateId, content: { ...WELCOME, subject: 'New: {{ contact.first_name }}' } });
  expect(v2.saveTemplateVersion).toMatchObject({ created: true, version: { version: 2, subject: 'New: {{ contact.first_name }}' }, template: { latestVersionNumber: 2 } });
  expect(v2.saveTemplateVersion.warnings).toEqual([]);

  const { createContact } = await gqlOk(app, ws.key, CreateContactDocument, { input: { email: 'ada@example.com', firstName: 'Ada' } });
  const old = await gqlOk(app, ws.key, RenderPreviewDocument, { templateId, contactId: createContact.id, versionId: v1 });
  expect(old.renderPreview.subject).toMatch(/^Ada, new arrivals for /);
  const latest = await gqlOk(app, ws.key, RenderPreviewDocument, { templateId, contactId: createContact.id });
  expect(latest.renderPreview).toMatchObject({ subject: 'New: Ada', version: { version: 2 } });

  const detail = await gqlOk(app, ws.key, TemplateDocument, { id: templateId });
  expect(detail.template.versions.edges.map((e) => e.node.version)).toEqual([2, 1]);
  expect(detail.template.latestVersion.textSource).toBeNull();
  expect(detail.template.latestVersion.html).toContain('{{ contact.first_name | default: "there" }}');

  const archived = await gqlOk(app, ws.key, UpdateTemplateDocument, { id: templateId, archived: true, name: 'Welcome (old)' });
  expect(archived.updateTemplate).toMatchObject({ archived: true, name: 'Welcome (old)' });
  expect((await gqlOk(app, ws.key, TemplatesDocument, { first: 10 })).templates.totalCount).toBe(0);
  expect((await gqlOk(app, ws.key, TemplatesDocument, { first: 10, includeArchived: true })).templates.totalCount).toBe(1);
});

test('another workspace\'s template reads as missing; names are unique per workspace', async () => {
  const created = await gqlOk(app, ws.key, CreateTemplateDocument, { input: { name: 'Welcome', content: WELCOME } });
  const dup = await gql(app, ws.key, CreateTemplateDocument, { input: { name: 'Welcome', content: WELCOME } });
  expect(errorCodes(dup)).toEqual(['CONFLICT']);

  const other = await createTestWorkspace(app);
  const res = await gql(app, other.key, TemplateDocument, { id: created.createTemplate.template.id });
  expect(errorCodes(res)).toEqual(['NOT_FOUND']);
  const save = await gql(app, other.key, SaveTemplateVersionDocument, { templateId: created.createTemplate.template.id, content: WELCOME });
  expect(errorCodes(save)).toEqual(['NOT_FOUND']);
});

test('a page of templates with their latest versions costs the same statements for 2 or 6 templates', async () => {
  const simple = (i: number) => ({ subject: `S${i}`, mjml: mjml(`    <mj-section><mj-column><mj-text>Hello number ${i}, long enough to read. <a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text></mj-column></mj-section>`) });
  const page = () => countStatements(app, () => gqlOk(app, ws.key, TemplatesDocument, { first: 20 }));
  for (let i = 0; i < 2; i++) await gqlOk(app, ws.key, CreateTemplateDocument, { input: { name: `T${i}`, content: simple(i) } });
  const two = await page();
  for (let i = 2; i < 6; i++) await gqlOk(app, ws.key, CreateTemplateDocument, { input: { name: `T${i}`, content: simple(i) } });
  const six = await page();
  expect(six.result.templates.edges).toHaveLength(6);
  expect(six.result.templates.edges.every((e) => e.node.latestVersion.version === 1)).toBe(true);
  expect(six.statements.length).toBe(two.statements.length);
});
