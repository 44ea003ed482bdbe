// Single-contact reads and writes. Bulk paths live in contact-upsert.ts and csv-import.ts.
import type { WorkspaceContext } from '../context';
import { ConflictError, NotFoundError, ValidationError, type IssuePath } from '../errors';
import { writeAudit } from '../audit/audit-log';
import { loadAttributeDefs } from '../attributes/attribute-definitions';
import type { Prisma } from '../db/prisma-client';
import { checkContactInput, type ContactFields, type ContactInput } from './contact-input';

/** Finds a contact of the caller's workspace, or throws NOT_FOUND (also for other workspaces' ids). */
export async function getContact(ctx: WorkspaceContext, id: number) {
  const contact = await ctx.db.prisma.contact.findFirst({ where: { id, workspaceId: ctx.workspaceId } });
  if (!contact) throw new NotFoundError('contact', id);
  return contact;
}

/** Creates one contact; it needs an email or an external id, each unique in the workspace. */
export async function createContact(ctx: WorkspaceContext, input: ContactInput, path: IssuePath = ['input']) {
  const defs = await loadAttributeDefs(ctx);
  const { fields, issues } = checkContactInput(input, defs, path, { requireIdentity: 'either', now: ctx.now() });
  if (issues.length) throw new ValidationError('invalid contact; nothing was written', issues);
  const contact = await ctx.db.prisma.$transaction(async (tx) => {
    await assertIdentityFree(ctx, tx, fields, null, path);
    const created = await tx.contact.create({ data: { workspaceId: ctx.workspaceId, ...toData(fields, null) } });
    await writeAudit(ctx, { action: 'contact.created', targetType: 'Contact', targetId: created.id }, tx);
    return created;
  });
  ctx.events.emit('contact.created', { workspaceId: ctx.workspaceId, contactIds: [contact.id], source: 'api' });
  return contact;
}

/** Updates the given fields; attributes are merged (a null value removes that attribute). */
export async function updateContact(ctx: WorkspaceContext, id: number, input: ContactInput, path: IssuePath = ['input']) {
  const defs = await loadAttributeDefs(ctx);
  const { fields, issues } = checkContactInput(input, defs, path, { now: ctx.now() });
  if (issues.length) throw new ValidationError('invalid contact; nothing was written', issues);
  const contact = await ctx.db.prisma.$transaction(async (tx) => {
    const current = await tx.contact.findFirst({ where: { id, workspaceId: ctx.workspaceId } });
    if (!current) throw new NotFoundError('contact', id);
    const after = { ...current, ...definedOnly(fields) };
    if (!after.emailNormalized && !after.externalId) {
      throw ValidationError.at(path, 'a contact must keep an email or an externalId');
    }
    await assertIdentityFree(ctx, tx, fields, id, path);
    const updated = await tx.contact.update({ where: { id }, data: toData(fields, current) });
    await writeAudit(ctx, { action: 'contact.updated', targetType: 'Contact', targetId: id, details: { fields: Object.keys(definedOnly(fields)) } }, tx);
    return updated;
  });
  ctx.events.emit('contact.updated', { workspaceId: ctx.workspaceId, contactIds: [id], source: 'api' });
  return contact;
}

/** Deletes a contact and, by cascade, its events and memberships (right to erasure). */
export async function deleteContact(ctx: WorkspaceContext, id: number): Promise<number> {
  await ctx.db.prisma.$transaction(async (tx) => {
    const { count } = await tx.contact.deleteMany({ where: { id, workspaceId: ctx.workspaceId } });
    if (!count) throw new NotFoundError('contact', id);
    await writeAudit(ctx, { action: 'contact.deleted', targetType: 'Contact', targetId: id }, tx);
  });
  ctx.events.emit('contact.deleted', { workspaceId: ctx.workspaceId, contactIds: [id] });
  return id;
}

type Tx = Prisma.TransactionClient;
type StoredContact = NonNullable<Awaited<ReturnType<Tx['contact']['findFirst']>>>;

async function assertIdentityFree(ctx: WorkspaceContext, tx: Tx, f: ContactFields, selfId: number | null, path: IssuePath) {
  const checks: [keyof ContactFields, Prisma.ContactWhereInput, string][] = [];
  if (f.emailNormalized) checks.push(['email', { emailNormalized: f.emailNormalized }, `email ${f.email}`]);
  if (f.externalId) checks.push(['externalId', { externalId: f.externalId }, `externalId ${f.externalId}`]);
  for (const [field, where, label] of checks) {
    const other = await tx.contact.findFirst({ where: { workspaceId: ctx.workspaceId, ...where, NOT: selfId ? { id: selfId } : undefined }, select: { id: true } });
    if (other) throw new ConflictError(`${label} already belongs to another contact`, [{ path: [...path, field], message: 'already in use' }]);
  }
}

function definedOnly(f: ContactFields): Partial<ContactFields> {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as Partial<ContactFields>;
}

/** Column values to write: only the provided fields, attributes merged over `current`. */
function toData(f: ContactFields, current: StoredContact | null) {
  const data: {
    email?: string | null; emailNormalized?: string | null; externalId?: string | null; firstName?: string | null;
    lastName?: string | null; locale?: string | null; timezone?: string | null; attributes?: Prisma.InputJsonValue;
    consentStatus?: StoredContact['consentStatus']; consentSource?: string | null; consentAt?: Date | null;
  } = {};
  for (const k of ['email', 'emailNormalized', 'externalId', 'firstName', 'lastName', 'locale', 'timezone'] as const) {
    if (f[k] !== undefined) data[k] = f[k];
  }
  if (f.attributes) {
    const merged: Record<string, unknown> = { ...((current?.attributes as Record<string, unknown> | null) ?? {}) };
    for (const [k, v] of Object.entries(f.attributes)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    data.attributes = merged as Prisma.InputJsonValue;
  }
  if (f.consentStatus !== undefined && f.consentStatus !== current?.consentStatus) {
    data.consentStatus = f.consentStatus;
    data.consentSource = f.consentSource ?? null;
    data.consentAt = f.consentAt ?? null;
  }
  return data;
}
