import { print, type DocumentNode } from 'graphql';
import type { App } from '../../api/app';
import type { GraphQLResponse } from './graphql-client';

/** Sends a GraphQL multipart request (file uploads) in process. `files` maps variable paths to files. */
export async function gqlUpload<T>(
  app: App,
  key: string,
  document: DocumentNode,
  variables: Record<string, unknown>,
  files: Record<string, { name: string; content: string | Buffer; type?: string }>,
): Promise<GraphQLResponse<T>> {
  const form = new FormData();
  const vars = structuredClone(variables);
  const map: Record<string, string[]> = {};
  Object.keys(files).forEach((path, i) => {
    map[String(i)] = [`variables.${path}`];
    (vars as Record<string, unknown>)[path] = null;
  });
  form.append('operations', JSON.stringify({ query: print(document), variables: vars }));
  form.append('map', JSON.stringify(map));
  Object.values(files).forEach((f, i) => form.append(String(i), new Blob([typeof f.content === 'string' ? f.content : new Uint8Array(f.content)], { type: f.type ?? 'text/csv' }), f.name));
  const res = await app.yoga.fetch('http://personae.test/graphql', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'graphql-preflight': '1' },
    body: form,
  });
  const body = (await res.json()) as { data?: T; errors?: GraphQLResponse<T>['errors'] };
  return { status: res.status, headers: res.headers, data: body.data ?? null, errors: body.errors };
}
