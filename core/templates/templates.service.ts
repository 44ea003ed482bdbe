// Templates and their versions: create, save a new version, rename, archive. Saving compiles
// first (outside any transaction: MJML is slow) and writes nothing when anything is wrong.
import type { WorkspaceContext } from '../context';
import { ConflictError, NotFoundError, ValidationError, type IssuePath } from '../errors';
import { writeAudit } from '../audit/audit-log';
import { isDuplicateKey } from '../db/sql-helpers';
import type { Prisma } from '../db/prisma-client';
import { compileTemplateContent, type TemplateContent } from './template-compiler';
import type { TemplateWarning } from './template-lint';

export interface SaveResult {
  templateId: number;
  versionId: number;
  version: number;
  /** False when the content equalled the latest version's, which is returned instead. */
  created: boolean;
  warnings: TemplateWarning[];
}

function checkName(name: string | undefined, path: IssuePath): string | undefined {
  if (name === undefined) return undefined;
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 120) throw ValidationError.at(path, 'must be 1–120 characters');
  return trimmed;
}

function checkDescription(description: string | null | undefined, path: IssuePath): string | null | undefined {
  if (description && description.length > 500) throw ValidationError.at(path, 'must be at most 500 characters');
  return description === undefined ? undefined : description?.trim() || null;
}

/** Creates a template with its first version. */
export async function createTemplate(
  ctx: WorkspaceContext,
  input: { name: string; description?: string | null; content: TemplateContent },
  path: IssuePath = ['input'],
): Promise<SaveResult> {
  const name = checkName(input.name, [...path, 'name'])!;
  const description = checkDescription(input.description, [...path, 'description']) ?? null;
  const compiled = await compileTemplateContent(ctx, input.content, [...path, 'content']);
  try {
    return await ctx.db.prisma.$transaction(async (tx) => {
      const template = await tx.template.create({ data: { workspaceId: ctx.workspaceId, name, description, latestVersion: 1 } });
      const version = await tx.templateVersion.create({ data: versionData(ctx, template.id, 1, input.content, compiled) });
      await writeAudit(ctx, { action: 'template.created', targetType: 'Template', targetId: template.id, details: { version: 1 } }, tx);
      return { templateId: template.id, versionId: version.id, version: 1, created: true, warnings: compiled.warnings };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`a template named "${name}" already exists`, [{ path: [...path, 'name'], message: 'already in use' }]);
    throw err;
  }
}

/** Saves new content as the next version (unchanged content returns the latest version). */
export async function saveTemplateVersion(
  ctx: WorkspaceContext,
  templateId: number,
  content: TemplateContent,
  path: IssuePath = ['content'],
): Promise<SaveResult> {
  const template = await getTemplateRow(ctx, templateId);
  const latest = await ctx.db.prisma.templateVersion.findFirst({ where: { templateId, version: template.latestVersion } });
  if (latest && sameContent(latest, content)) {
    return { templateId, versionId: latest.id, version: latest.version, created: false, warnings: latest.warnings as unknown as TemplateWarning[] };
  }
  const compiled = await compileTemplateContent(ctx, content, path);
  return ctx.db.prisma.$transaction(async (tx) => {
    // The increment locks the template row, so concurrent saves get consecutive numbers.
    const bumped = await tx.template.update({ where: { id: templateId }, data: { latestVersion: { increment: 1 } } });
    const version = await tx.templateVersion.create({ data: versionData(ctx, templateId, bumped.latestVersion, content, compiled) });
    await writeAudit(ctx, { action: 'template.version_saved', targetType: 'Template', targetId: templateId, details: { version: bumped.latestVersion } }, tx);
    return { templateId, versionId: version.id, version: bumped.latestVersion, created: true, warnings: compiled.warnings };
  });
}

/** Renames, re-describes, archives or restores a template (content changes are new versions). */
export async function updateTemplate(
  ctx: WorkspaceContext,
  templateId: number,
  input: { name?: string; description?: string | null; archived?: boolean },
  path: IssuePath = ['input'],
) {
  await getTemplateRow(ctx, templateId);
  const data: Prisma.TemplateUpdateInput = {};
  const name = checkName(input.name, [...path, 'name']);
  if (name !== undefined) data.name = name;
  const description = checkDescription(input.description, [...path, 'description']);
  if (description !== undefined) data.description = description;
  if (input.archived !== undefined) data.archivedAt = input.archived ? ctx.now() : null;
  try {
    const row = await ctx.db.prisma.template.update({ where: { id: templateId }, data });
    await writeAudit(ctx, { action: 'template.updated', targetType: 'Template', targetId: templateId, details: { fields: Object.keys(data) } });
    return row;
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`a template named "${name}" already exists`, [{ path: [...path, 'name'], message: 'already in use' }]);
    throw err;
  }
}

/** The workspace's template, or NOT_FOUND. */
export async function getTemplateRow(ctx: WorkspaceContext, templateId: number) {
  const row = await ctx.db.prisma.template.findFirst({ where: { id: templateId, workspaceId: ctx.workspaceId } });
  if (!row) throw new NotFoundError('template', templateId);
  return row;
}

/** A version of the workspace: by id, or a template's latest when only the template is given. */
export async function getTemplateVersionRow(ctx: WorkspaceContext, args: { versionId?: number; templateId?: number }) {
  if (args.versionId !== undefined) {
    const row = await ctx.db.prisma.templateVersion.findFirst({
      where: { id: args.versionId, workspaceId: ctx.workspaceId, ...(args.templateId !== undefined ? { templateId: args.templateId } : {}) },
    });
    if (!row) throw new NotFoundError('template version', args.versionId);
    return row;
  }
  const template = await getTemplateRow(ctx, args.templateId!);
  const row = await ctx.db.prisma.templateVersion.findFirst({ where: { templateId: template.id, version: template.latestVersion } });
  if (!row) throw new NotFoundError('template version of template', template.id);
  return row;
}

function versionData(
  ctx: WorkspaceContext,
  templateId: number,
  version: number,
  content: TemplateContent,
  compiled: { html: string; text: string; variables: string[]; warnings: TemplateWarning[]; htmlBytes: number },
): Prisma.TemplateVersionUncheckedCreateInput {
  return {
    workspaceId: ctx.workspaceId,
    templateId,
    version,
    subject: content.subject,
    preheader: content.preheader?.trim() ? content.preheader : null,
    mjml: content.mjml,
    textSource: content.text?.trim() ? content.text : null,
    html: compiled.html,
    text: compiled.text,
    variables: compiled.variables,
    warnings: compiled.warnings as unknown as Prisma.InputJsonValue,
    htmlBytes: compiled.htmlBytes,
  };
}

function sameContent(v: { subject: string; preheader: string | null; mjml: string; textSource: string | null }, c: TemplateContent): boolean {
  const norm = (s: string | null | undefined) => (s?.trim() ? s : null);
  return v.subject === c.subject && v.mjml === c.mjml && v.preheader === norm(c.preheader) && v.textSource === norm(c.text);
}

function isUniqueViolation(err: unknown): boolean {
  return isDuplicateKey(err) || (err as { code?: string })?.code === 'P2002';
}
