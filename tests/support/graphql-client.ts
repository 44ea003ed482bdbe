// A small GraphQL client over `app.yoga.fetch` (in process, no socket), typed by the
// documents codegen generates from tests/documents/*.graphql.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import type { App } from '../../api/app';

export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; issues?: { path: (string | number)[]; message: string }[]; [k: string]: unknown };
}

export interface GraphQLResponse<T> {
  status: number;
  headers: Headers;
  data: T | null;
  errors?: GraphQLErrorShape[];
}

export async function gql<T = Record<string, unknown>, V = Record<string, unknown>>(
  app: App,
  key: string | null,
  document: TypedDocumentNode<T, V> | DocumentNode | string,
  variables?: V,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const query = typeof document === 'string' ? document : print(document);
  const res = await app.yoga.fetch('http://personae.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T | null; errors?: GraphQLErrorShape[] };
  return { status: res.status, headers: res.headers, data: body.data ?? null, errors: body.errors };
}

/** Like gql, but fails the test on any GraphQL error and returns the data. */
export async function gqlOk<T = Record<string, unknown>, V = Record<string, unknown>>(
  app: App,
  key: string,
  document: TypedDocumentNode<T, V> | DocumentNode | string,
  variables?: V,
): Promise<T> {
  const res = await gql(app, key, document, variables);
  if (res.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors, null, 2)}`);
  return res.data as T;
}

/** The codes of the errors in a response, for compact assertions. */
export function errorCodes(res: GraphQLResponse<unknown>): (string | undefined)[] {
  return (res.errors ?? []).map((e) => e.extensions?.code);
}
