// Template and TemplateVersion types with their queries.
import { builder } from '../builder';
import { ws } from '../context';
import { numericId } from '../common/global-id';
import { getTemplateRow } from '../../core/templates';
import type { TemplateWarning } from '../../core/templates';

export const TemplateWarningCodeEnum = builder.enumType('TemplateWarningCode', {
  values: {
    NO_UNSUBSCRIBE_LINK: { description: 'The HTML has no link to {{ unsubscribe_url }}.' },
    NO_TEXT_PART: { description: 'The text part has (almost) no words, e.g. an image-only email.' },
    HTML_TOO_LARGE: { description: 'The HTML is over 102 KB: Gmail clips it.' },
    IMAGE_WITHOUT_ALT: { description: 'An image has no alt attribute.' },
    UNKNOWN_PERSONA: { description: 'A `personas contains` test names a slug no persona has.' },
  },
});

export const TemplateWarningRef = builder.objectRef<TemplateWarning>('TemplateWarning').implement({
  description: 'A lint finding: the template saves, but this hurts delivery or readers.',
  fields: (t) => ({
    code: t.expose('code', { type: TemplateWarningCodeEnum }),
    message: t.exposeString('message'),
    field: t.exposeString('field', { description: 'The source it is about: mjml, text, subject or preheader.' }),
    line: t.exposeInt('line', { nullable: true, description: '1-based line in that source.' }),
  }),
});

export const TemplateVersionRef = builder.prismaNode('TemplateVersion', {
  id: { field: 'id' },
  description: 'An immutable saved state of a template, compiled once at save time.',
  findUnique: (id, ctx) => ({ id: Number(id), workspaceId: ws(ctx).workspaceId }),
  nullable: true,
  fields: (t) => ({
    version: t.exposeInt('version'),
    subject: t.exposeString('subject', { description: 'Liquid source.' }),
    preheader: t.exposeString('preheader', { nullable: true, description: 'Liquid source.' }),
    mjml: t.exposeString('mjml', { description: 'MJML + Liquid source as written.' }),
    textSource: t.exposeString('textSource', { nullable: true, description: 'The hand-written text part, or null when generated.' }),
    html: t.exposeString('html', { description: 'Compiled HTML with its Liquid intact (rendered per message).' }),
    text: t.exposeString('text', { description: 'The text part template (generated or hand-written).' }),
    variables: t.stringList({ description: 'Variables the version reads, e.g. contact.first_name.', resolve: (v) => v.variables as string[] }),
    warnings: t.field({ type: [TemplateWarningRef], resolve: (v) => v.warnings as unknown as TemplateWarning[] }),
    htmlBytes: t.exposeInt('htmlBytes', { description: 'Size of the compiled HTML before personalisation.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    template: t.relation('template'),
  }),
});

export const TemplateRef = builder.prismaNode('Template', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: Number(id), workspaceId: ws(ctx).workspaceId }),
  nullable: true,
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    archived: t.boolean({ resolve: (tpl) => tpl.archivedAt !== null }),
    archivedAt: t.expose('archivedAt', { type: 'DateTime', nullable: true }),
    latestVersionNumber: t.exposeInt('latestVersion'),
    latestVersion: t.loadable({
      type: TemplateVersionRef,
      description: 'The newest version (the one campaigns pick up at launch).',
      // One statement for a whole page of templates.
      load: async (keys: string[], ctx) => {
        const pairs = keys.map((k) => k.split(':').map(Number));
        const rows = await ctx.core.db.prisma.templateVersion.findMany({
          where: { workspaceId: ws(ctx).workspaceId, OR: pairs.map(([templateId, version]) => ({ templateId, version })) },
        });
        const byKey = new Map(rows.map((r) => [`${r.templateId}:${r.version}`, r]));
        return keys.map((k) => byKey.get(k) ?? new Error(`template version ${k} not found`));
      },
      resolve: (tpl) => `${tpl.id}:${tpl.latestVersion}`,
    }),
    versions: t.relatedConnection('versions', {
      cursor: 'id',
      defaultSize: 20,
      maxSize: 100,
      query: () => ({ orderBy: { version: 'desc' } }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

function templateWhere(workspaceId: number, args: { includeArchived?: boolean | null; search?: string | null }) {
  return {
    workspaceId,
    ...(args.includeArchived ? {} : { archivedAt: null }),
    ...(args.search ? { name: { contains: args.search } } : {}),
  };
}

builder.queryFields((t) => ({
  templates: t.prismaConnection(
    {
      type: 'Template',
      cursor: 'id',
      defaultSize: 20,
      maxSize: 100,
      description: 'Templates of the workspace, most recently changed first.',
      args: {
        includeArchived: t.arg.boolean({ defaultValue: false }),
        search: t.arg.string({ description: 'Part of the name.' }),
      },
      complexity: (args) => ({ field: 1, multiplier: args.first ?? args.last ?? 20 }),
      totalCount: (_conn, args, ctx) => ctx.core.db.prisma.template.count({ where: templateWhere(ws(ctx).workspaceId, args) }),
      resolve: (query, _root, args, ctx) =>
        ctx.core.db.prisma.template.findMany({
          ...query,
          where: templateWhere(ws(ctx).workspaceId, args),
          orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
        }),
    },
    { description: 'A page of templates.' },
  ),
  template: t.prismaField({
    type: 'Template',
    description: 'One template by ID. NOT_FOUND if it does not exist in this workspace.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      const row = await getTemplateRow(ws(ctx), numericId(String(id), 'Template', ['id']));
      return ctx.core.db.prisma.template.findUniqueOrThrow({ ...query, where: { id: row.id } });
    },
  }),
}));
