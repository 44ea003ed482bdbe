// POST /v1/contacts/import: the CSV import as a plain HTTP upload whose body is streamed
// straight into the parser (GraphQL multipart uploads are buffered by the HTTP layer first).
import { defineRoute, type RouteDefinition } from '../../plugins/sdk/define-plugin';
import { ValidationError } from '../../core/errors';
import { toNodeReadable } from '../../core/util/web-stream';
import { importContactsCsv, type CsvTarget } from '../../core/contacts/csv-import';
import { jsonResponse } from '../http-errors';

export function csvImportRoutes(): RouteDefinition[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/v1/contacts/import',
      auth: { scope: 'WRITE' },
      handler: async ({ request, url, workspace }) => {
        const key = url.searchParams.get('key') ?? 'email';
        if (key !== 'email' && key !== 'externalId') throw ValidationError.at(['key'], 'must be email or externalId');
        let mapping: Record<string, CsvTarget> | undefined;
        const rawMapping = url.searchParams.get('mapping');
        if (rawMapping) {
          try {
            mapping = JSON.parse(rawMapping) as Record<string, CsvTarget>;
          } catch {
            throw ValidationError.at(['mapping'], 'must be a JSON object of column → field');
          }
        }
        if (!request.body) throw ValidationError.at(['body'], 'send the CSV file as the request body');
        const stream = toNodeReadable(request.body as never);
        const report = await importContactsCsv(workspace!, {
          stream,
          key,
          mapping,
          filename: url.searchParams.get('filename') ?? undefined,
          delimiter: url.searchParams.get('delimiter') ?? undefined,
        });
        return jsonResponse(report, report.status === 'FAILED' ? 400 : 200);
      },
    }),
  ];
}
