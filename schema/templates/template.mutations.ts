// Saving templates (each content change is a new version), renaming/archiving, and the
// read-only checks editors use: checkTemplate (compile without saving) and renderPreview.
import { builder } from '../builder';
import { ws } from '../context';
import { numericId } from '../common/global-id';
import {
  compileTemplateContent, createTemplate, renderPreview, saveTemplateVersion, updateTemplate,
  type SaveResult, type TemplateContent, type TemplateWarning,
} from '../../core/templates';
import { TemplateRef, TemplateVersionRef, TemplateWarningRef } from './template.type';

const TemplateContentInput = builder.inputType('TemplateContentInput', {
  description: 'A template\'s sources. Saving compiles them; problems come back as BAD_USER_INPUT issues with paths and line numbers.',
  fields: (t) => ({
    subject: t.string({ required: true, description: 'Liquid, e.g. "{{ contact.first_name | default: \\"Hi\\" }}, new for you".' }),
    preheader: t.string({ description: 'Liquid; the preview line inboxes show after the subject.' }),
    mjml: t.string({ required: true, description: 'MJML with Liquid (see docs/templates.md).' }),
    text: t.string({ description: 'A hand-written text part (Liquid). Omit to generate it from the HTML.' }),
  }),
});

function toContent(c: typeof TemplateContentInput.$inferInput): TemplateContent {
  return { subject: c.subject, preheader: c.preheader ?? null, mjml: c.mjml, text: c.text ?? null };
}

const SaveTemplatePayload = builder.objectRef<SaveResult>('SaveTemplatePayload').implement({
  fields: (t) => ({
    template: t.prismaField({
      type: 'Template',
      resolve: (query, r, _a, ctx) => ctx.core.db.prisma.template.findUniqueOrThrow({ ...query, where: { id: r.templateId } }),
    }),
    version: t.prismaField({
      type: 'TemplateVersion',
      resolve: (query, r, _a, ctx) => ctx.core.db.prisma.templateVersion.findUniqueOrThrow({ ...query, where: { id: r.versionId } }),
    }),
    created: t.exposeBoolean('created', { description: 'False when the content equalled the latest version (no new version).' }),
    warnings: t.field({ type: [TemplateWarningRef], resolve: (r) => r.warnings }),
  }),
});

const TemplateCheck = builder
  .objectRef<{ html: string; text: string; variables: string[]; warnings: TemplateWarning[]; htmlBytes: number }>('TemplateCheck')
  .implement({
    description: 'What saving this content would produce (nothing is saved).',
    fields: (t) => ({
      html: t.exposeString('html'),
      text: t.exposeString('text'),
      variables: t.exposeStringList('variables'),
      warnings: t.field({ type: [TemplateWarningRef], resolve: (r) => r.warnings }),
      htmlBytes: t.exposeInt('htmlBytes'),
    }),
  });

const RenderedPreview = builder
  .objectRef<Awaited<ReturnType<typeof renderPreview>>>('RenderedPreview')
  .implement({
    description: 'Exactly what one contact would receive (links untracked, unsubscribe URL a placeholder).',
    fields: (t) => ({
      subject: t.exposeString('subject'),
      preheader: t.exposeString('preheader'),
      html: t.exposeString('html'),
      text: t.exposeString('text'),
      htmlBytes: t.exposeInt('htmlBytes', { description: 'This recipient\'s HTML size (Gmail clips over 102 KB).' }),
      version: t.prismaField({
        type: 'TemplateVersion',
        resolve: (query, r, _a, ctx) => ctx.core.db.prisma.templateVersion.findUniqueOrThrow({ ...query, where: { id: r.versionId } }),
      }),
    }),
  });

builder.queryFields((t) => ({
  checkTemplate: t.field({
    type: TemplateCheck,
    description: 'Compiles template content without saving it: the same checks and lint as a save.',
    args: { content: t.arg({ type: TemplateContentInput, required: true }) },
    resolve: (_root, { content }, ctx) => compileTemplateContent(ws(ctx), toContent(content), ['content']),
  }),
  renderPreview: t.field({
    type: RenderedPreview,
    description: 'Renders a template (its latest version, or `versionId`) for one contact.',
    args: {
      templateId: t.arg.id({ required: true }),
      contactId: t.arg.id({ required: true }),
      versionId: t.arg.id(),
    },
    resolve: (_root, args, ctx) =>
      renderPreview(ws(ctx), {
        templateId: numericId(String(args.templateId), 'Template', ['templateId']),
        contactId: numericId(String(args.contactId), 'Contact', ['contactId']),
        versionId: args.versionId ? numericId(String(args.versionId), 'TemplateVersion', ['versionId']) : undefined,
      }),
  }),
}));

builder.mutationFields((t) => ({
  createTemplate: t.field({
    type: SaveTemplatePayload,
    description: 'Creates a template with its first version.',
    args: {
      input: t.arg({
        required: true,
        type: builder.inputType('CreateTemplateInput', {
          fields: (f) => ({
            name: f.string({ required: true }),
            description: f.string(),
            content: f.field({ type: TemplateContentInput, required: true }),
          }),
        }),
      }),
    },
    resolve: (_root, { input }, ctx) =>
      createTemplate(ws(ctx), { name: input.name, description: input.description ?? null, content: toContent(input.content) }, ['input']),
  }),
  saveTemplateVersion: t.field({
    type: SaveTemplatePayload,
    description: 'Saves new content as the next version. Earlier versions stay as they were (campaigns keep the one they used).',
    args: {
      templateId: t.arg.id({ required: true }),
      content: t.arg({ type: TemplateContentInput, required: true }),
    },
    resolve: (_root, args, ctx) =>
      saveTemplateVersion(ws(ctx), numericId(String(args.templateId), 'Template', ['templateId']), toContent(args.content), ['content']),
  }),
  updateTemplate: t.prismaField({
    type: 'Template',
    description: 'Renames, describes, archives or restores a template.',
    args: {
      id: t.arg.id({ required: true }),
      name: t.arg.string(),
      description: t.arg.string(),
      archived: t.arg.boolean(),
    },
    resolve: async (query, _root, args, ctx) => {
      const row = await updateTemplate(ws(ctx), numericId(String(args.id), 'Template', ['id']), {
        name: args.name ?? undefined,
        description: args.description === undefined ? undefined : args.description,
        archived: args.archived ?? undefined,
      }, []);
      return ctx.core.db.prisma.template.findUniqueOrThrow({ ...query, where: { id: row.id } });
    },
  }),
}));

export { TemplateRef, TemplateVersionRef };
