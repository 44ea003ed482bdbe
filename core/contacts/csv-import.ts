// Streamed CSV import of contacts. Rows are parsed as they arrive and written 1,000 at a time
// inside one transaction: a row with bad values is skipped and reported with its line number,
// while a file that turns out to be malformed (unterminated quote, no header, too many rows)
// is rolled back whole. Re-importing the same file changes nothing (upsert by key).
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { WorkspaceContext } from '../context';
import { ValidationError } from '../errors';
import { writeAudit } from '../audit/audit-log';
import type { Prisma } from '../db/prisma-client';
import { loadAttributeDefs } from '../attributes/attribute-definitions';
import type { ContactInput } from './contact-input';
import { announceUpsert, upsertContactsOn, type UpsertKey, type UpsertOutcome } from './contact-upsert';
import { isDuplicateKey, isRetryableLock, withSqlTransaction } from '../db/sql-helpers';

export const MAX_IMPORT_ROWS = 1_000_000;
const CHUNK = 1000;
const MAX_REPORTED_ERRORS = 1000;

const CONTACT_FIELDS = ['email', 'externalId', 'firstName', 'lastName', 'locale', 'timezone', 'consentStatus'] as const;
type ContactField = (typeof CONTACT_FIELDS)[number];
/** A mapping target: a contact field, `attributes.<key>`, or null to ignore the column. */
export type CsvTarget = ContactField | `attributes.${string}` | null;

export interface CsvImportArgs {
  stream: Readable;
  filename?: string;
  key: UpsertKey;
  /** Column header → target. Columns not listed are mapped by name (see `autoMap`); null ignores a column. */
  mapping?: Record<string, CsvTarget>;
  delimiter?: string;
}

export interface CsvRowError {
  /** Line number in the file (the header is line 1). */
  line: number;
  column: string | null;
  message: string;
}

export interface CsvImportReport {
  importRunId: number;
  status: 'COMPLETED' | 'FAILED';
  totalRows: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors: CsvRowError[];
  errorsTruncated: boolean;
  /** Columns that were not imported (no mapping and no matching field or attribute). */
  ignoredColumns: string[];
  /** Set when a file with the same bytes was imported before. */
  previousImportRunId: number | null;
  /** Why the whole file was rejected (status FAILED); nothing was written. */
  failureReason: string | null;
}

const ALIASES: Record<string, ContactField> = {
  email: 'email', emailaddress: 'email', mail: 'email',
  externalid: 'externalId', userid: 'externalId', customerid: 'externalId', id: 'externalId',
  firstname: 'firstName', givenname: 'firstName',
  lastname: 'lastName', surname: 'lastName', familyname: 'lastName',
  locale: 'locale', language: 'locale',
  timezone: 'timezone', tz: 'timezone',
  consent: 'consentStatus', consentstatus: 'consentStatus',
};

/** Maps a header to a target by name: contact fields by common spellings, else a defined attribute key. */
export function autoMap(header: string, attributeKeys: Set<string>): CsvTarget {
  const squashed = header.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (ALIASES[squashed]) return ALIASES[squashed];
  const snake = header.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  return attributeKeys.has(snake) ? `attributes.${snake}` : null;
}

/** Imports contacts from a CSV stream; see the module comment for the error policy. */
export async function importContactsCsv(ctx: WorkspaceContext, args: CsvImportArgs): Promise<CsvImportReport> {
  const defs = await loadAttributeDefs(ctx);
  const attributeKeys = new Set(defs.keys());
  for (const [column, target] of Object.entries(args.mapping ?? {})) checkTarget(column, target, attributeKeys);

  const run = await ctx.db.prisma.importRun.create({ data: { workspaceId: ctx.workspaceId, source: 'csv', filename: args.filename?.slice(0, 255) ?? null } });
  const hash = createHash('sha256');
  args.stream.on('data', (b: Buffer) => hash.update(b));
  const parser = args.stream.pipe(
    parse({ bom: true, delimiter: args.delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, info: true }),
  );

  const report: CsvImportReport = {
    importRunId: run.id, status: 'COMPLETED', totalRows: 0, created: 0, updated: 0, unchanged: 0, failed: 0,
    errors: [], errorsTruncated: false, ignoredColumns: [], previousImportRunId: null, failureReason: null,
  };
  const addError = (e: CsvRowError) => {
    report.failed++;
    if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push(e);
    else report.errorsTruncated = true;
  };

  const outcomes: UpsertOutcome[] = [];
  try {
    // READ COMMITTED: under REPEATABLE READ the upsert's locking reads of keys not yet stored
    // take gap locks on contacts' (workspace_id, key) index, and a new workspace's gap reaches
    // across to its neighbours' keys, so imports of adjacent workspaces at the same time
    // deadlocked (tests/contacts/csv-import-concurrency.test.ts: 12 of 18). This transaction
    // reads a consumed stream and cannot be retried; without gap locks there is nothing to
    // deadlock on but the rows both sides write. The existing rows it compares with are still
    // locked (FOR UPDATE), so the comparison cannot go stale.
    await withSqlTransaction(ctx.db.sql, async (conn) => {
      let header: string[] | null = null;
      let targets: CsvTarget[] = [];
      let batch: { line: number; input: ContactInput }[] = [];
      const flush = async () => {
        if (!batch.length) return;
        const lines = batch.map((b) => b.line);
        const outcome = await upsertContactsOn(ctx, conn, { contacts: batch.map((b) => b.input), key: args.key, source: 'csv', onInvalid: 'skip', path: [] });
        for (const r of outcome.rejected) {
          for (const issue of r.issues) addError({ line: lines[r.index], column: columnOf(issue.path, header!, targets), message: issue.message });
        }
        outcomes.push(outcome);
        batch = [];
      };

      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        if (!header) {
          header = record;
          if (!header.some((h) => h)) throw new ValidationError('the first line must be a header row naming the columns');
          targets = header.map((h) => (args.mapping && h in args.mapping ? args.mapping[h] : autoMap(h, attributeKeys)));
          report.ignoredColumns = header.filter((_, i) => targets[i] === null);
          const keyTarget = args.key === 'email' ? 'email' : 'externalId';
          if (!targets.includes(keyTarget)) {
            throw new ValidationError(`no column is mapped to ${keyTarget}, the import key (columns: ${header.join(', ')})`, [{ path: ['mapping'], message: `map a column to ${keyTarget}` }]);
          }
          continue;
        }
        report.totalRows++;
        if (report.totalRows > MAX_IMPORT_ROWS) throw new ValidationError(`the file has more than ${MAX_IMPORT_ROWS} rows; split it`);
        if (record.length !== header.length) {
          addError({ line: info.lines, column: null, message: `has ${record.length} fields, the header has ${header.length}` });
          continue;
        }
        batch.push({ line: info.lines, input: toInput(record, targets) });
        if (batch.length >= CHUNK) await flush();
      }
      if (!header) throw new ValidationError('the file is empty');
      await flush();
    }, { readCommitted: true });
  } catch (err) {
    const reason = err instanceof ValidationError ? err.message : csvErrorMessage(err);
    if (!reason) throw err;
    await ctx.db.prisma.importRun.update({ where: { id: run.id }, data: { status: 'FAILED', finishedAt: ctx.now(), totalRows: report.totalRows, errors: [{ line: null, column: null, message: reason }] } });
    return { ...report, status: 'FAILED', created: 0, updated: 0, unchanged: 0, failureReason: reason };
  }

  for (const o of outcomes) {
    const out = await announceUpsert(ctx, 'csv', o);
    report.created += out.created;
    report.updated += out.updated;
    report.unchanged += out.unchanged;
  }
  report.errors.sort((a, b) => a.line - b.line); // bad values surface per chunk, structure errors at once
  const checksum = hash.digest('hex');
  const previous = await ctx.db.prisma.importRun.findFirst({
    where: { workspaceId: ctx.workspaceId, checksum, status: 'COMPLETED', id: { lt: run.id } },
    orderBy: { id: 'desc' },
    select: { id: true },
  });
  report.previousImportRunId = previous?.id ?? null;
  await ctx.db.prisma.importRun.update({
    where: { id: run.id },
    data: {
      status: 'COMPLETED', checksum, finishedAt: ctx.now(), totalRows: report.totalRows,
      created: report.created, updated: report.updated, unchanged: report.unchanged, failed: report.failed,
      errors: report.errors as unknown as Prisma.InputJsonValue,
    },
  });
  await writeAudit(ctx, { action: 'contacts.imported', targetType: 'ImportRun', targetId: run.id, details: { rows: report.totalRows, failed: report.failed } });
  return report;
}

function checkTarget(column: string, target: CsvTarget, attributeKeys: Set<string>) {
  if (target === null) return;
  if ((CONTACT_FIELDS as readonly string[]).includes(target)) return;
  if (target.startsWith('attributes.') && attributeKeys.has(target.slice(11))) return;
  throw ValidationError.at(['mapping', column], `"${target}" is not a contact field (${CONTACT_FIELDS.join(', ')}) or a defined attribute (attributes.<key>)`);
}

function toInput(record: string[], targets: CsvTarget[]): ContactInput {
  const input: ContactInput & { attributes: Record<string, unknown> } = { attributes: {} };
  record.forEach((value, i) => {
    const t = targets[i];
    if (!t || value === '') return; // empty cells leave the stored value alone
    if (t.startsWith('attributes.')) input.attributes[t.slice(11)] = value;
    else (input as unknown as Record<string, unknown>)[t] = value;
  });
  return input;
}

function columnOf(path: (string | number)[], header: string[], targets: CsvTarget[]): string | null {
  const [field, attr] = [path[1], path[2]];
  const target = field === 'attributes' ? `attributes.${attr}` : field;
  const i = targets.findIndex((t) => t === target);
  return i >= 0 ? header[i] : null;
}

function csvErrorMessage(err: unknown): string | null {
  const e = err as { code?: string; message?: string; lines?: number };
  if (typeof e?.code === 'string' && e.code.startsWith('CSV_')) return `malformed CSV: ${e.message}`;
  // Another writer stored one of the file's new contacts, or took the same rows in the other
  // order, while the file was read: the whole file is rolled back, and importing it again
  // (idempotent) finds those contacts stored.
  if (isDuplicateKey(err) || isRetryableLock(err)) return 'another write to the same contacts conflicted with this import; nothing was written, import the file again';
  return null;
}
