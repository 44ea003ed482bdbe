import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder';
import { ws } from '../context';
import { toNodeReadable } from '../../core/util/web-stream';
import { importContactsCsv, type CsvImportReport, type CsvTarget } from '../../core/contacts/csv-import';
import { ValidationError } from '../../core/errors';
import { UpsertKeyEnum } from './contact.mutations';

const CsvColumnMappingInput = builder.inputType('CsvColumnMapping', {
  fields: (t) => ({
    column: t.string({ required: true, description: 'Header of the CSV column.' }),
    field: t.string({
      description: 'email, externalId, firstName, lastName, locale, timezone, consentStatus, or attributes.<key>. Null ignores the column.',
    }),
  }),
});

const CsvRowErrorRef = builder.objectRef<CsvImportReport['errors'][number]>('CsvRowError').implement({
  fields: (t) => ({
    line: t.exposeInt('line', { description: 'Line in the file; the header is line 1.' }),
    column: t.exposeString('column', { nullable: true }),
    message: t.exposeString('message'),
  }),
});

const CsvImportReportRef = builder.objectRef<CsvImportReport>('CsvImportReport').implement({
  fields: (t) => ({
    importRunId: t.id({ resolve: (r) => encodeGlobalID('ImportRun', String(r.importRunId)) }),
    status: t.exposeString('status', { description: 'COMPLETED, or FAILED when the file was malformed (nothing written).' }),
    failureReason: t.exposeString('failureReason', { nullable: true }),
    totalRows: t.exposeInt('totalRows'),
    created: t.exposeInt('created'),
    updated: t.exposeInt('updated'),
    unchanged: t.exposeInt('unchanged'),
    failed: t.exposeInt('failed'),
    errors: t.field({ type: [CsvRowErrorRef], resolve: (r) => r.errors }),
    errorsTruncated: t.exposeBoolean('errorsTruncated'),
    ignoredColumns: t.exposeStringList('ignoredColumns'),
    previousImportRunId: t.id({
      nullable: true,
      description: 'Set when the same file was imported before (the import is idempotent).',
      resolve: (r) => (r.previousImportRunId ? encodeGlobalID('ImportRun', String(r.previousImportRunId)) : null),
    }),
  }),
});

builder.mutationFields((t) => ({
  importContactsCsv: t.field({
    type: CsvImportReportRef,
    description:
      'Imports contacts from a CSV file (GraphQL multipart upload), streamed. Rows with bad values are skipped and reported by line; a malformed file writes nothing. Re-importing a file is idempotent.',
    args: {
      file: t.arg({ type: 'File', required: true }),
      key: t.arg({ type: UpsertKeyEnum, required: true, defaultValue: 'email' }),
      mapping: t.arg({ type: [CsvColumnMappingInput], description: 'Columns not listed are matched by name to contact fields and attribute keys.' }),
      delimiter: t.arg.string({ description: 'Field delimiter; default ",".' }),
    },
    resolve: async (_root, args, ctx) => {
      if (args.delimiter != null && args.delimiter.length !== 1) throw ValidationError.at(['delimiter'], 'must be one character');
      const mapping = args.mapping ? Object.fromEntries(args.mapping.map((m) => [m.column, (m.field ?? null) as CsvTarget])) : undefined;
      const stream = toNodeReadable(args.file.stream() as never);
      return importContactsCsv(ws(ctx), { stream, filename: args.file.name, key: args.key, mapping, delimiter: args.delimiter ?? undefined });
    },
  }),
}));
