import type { App } from '../../api/app';
import { createKey, createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { gql, gqlOk, errorCodes } from '../support/graphql-client';
import { ApiKeysDocument, ContactsPageDocument, CreateApiKeyDocument, CreateContactDocument, RevokeApiKeyDocument, WorkspaceDocument } from '../generated/graphql';

let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());
beforeEach(async () => {
  ws = await createTestWorkspace(app);
});

test('a new key is shown once, stored hashed, with a visible prefix', async () => {
  const { createApiKey } = await gqlOk(app, ws.key, CreateApiKeyDocument, { name: 'ci', scope: 'WRITE' });
  expect(createApiKey.secret).toMatch(/^pk_[0-9A-Za-z]{8}_[0-9A-Za-z]{32}$/);
  expect(createApiKey.secret.startsWith(createApiKey.apiKey.prefix + '_')).toBe(true);
  const rows = await app.core.db.prisma.apiKey.findMany({ where: { workspaceId: ws.workspaceId } });
  for (const r of rows) expect(JSON.stringify(r)).not.toContain(createApiKey.secret.slice(12));
  const listed = await gqlOk(app, ws.key, ApiKeysDocument);
  expect(JSON.stringify(listed)).not.toContain(createApiKey.secret);
});

test('scopes: READ reads only, WRITE writes data but not keys, ADMIN does both', async () => {
  const read = await createKey(app, ws.workspaceId, 'READ');
  const write = await createKey(app, ws.workspaceId, 'WRITE');

  expect((await gql(app, read, WorkspaceDocument)).errors).toBeUndefined();
  const denied = await gql(app, read, CreateContactDocument, { input: { email: 'x@example.com' } });
  expect(errorCodes(denied)).toEqual(['FORBIDDEN']);
  expect(denied.errors![0].message).toMatch(/scope READ/);
  expect((await gqlOk(app, ws.key, ContactsPageDocument, { first: 1 })).contacts.totalCount).toBe(0);

  expect((await gql(app, write, CreateContactDocument, { input: { email: 'x@example.com' } })).errors).toBeUndefined();
  expect(errorCodes(await gql(app, write, CreateApiKeyDocument, { name: 'nope', scope: 'ADMIN' }))).toEqual(['FORBIDDEN']);
  expect(errorCodes(await gql(app, write, ApiKeysDocument))).toEqual(['FORBIDDEN']);
});

test('a revoked key is refused from then on, with HTTP 401', async () => {
  const { createApiKey } = await gqlOk(app, ws.key, CreateApiKeyDocument, { name: 'temp', scope: 'READ' });
  expect((await gql(app, createApiKey.secret, WorkspaceDocument)).errors).toBeUndefined();
  const revoked = await gqlOk(app, ws.key, RevokeApiKeyDocument, { id: createApiKey.apiKey.id });
  expect(revoked.revokeApiKey.revokedAt).not.toBeNull();
  const after = await gql(app, createApiKey.secret, WorkspaceDocument);
  expect(after.status).toBe(401);
  expect(errorCodes(after)).toEqual(['UNAUTHENTICATED']);
  expect(after.errors![0].message).toBe('this API key is revoked');
});

test('no key, a malformed key and an unknown key are UNAUTHENTICATED', async () => {
  expect(errorCodes(await gql(app, null, WorkspaceDocument))).toEqual(['UNAUTHENTICATED']);
  const bogus = await gql(app, 'pk_AAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', WorkspaceDocument);
  expect(bogus.status).toBe(401);
  expect(bogus.errors![0].message).toBe('invalid API key');
  const scheme = await gql(app, null, WorkspaceDocument, undefined, { authorization: 'Token abc' });
  expect(errorCodes(scheme)).toEqual(['UNAUTHENTICATED']);
});

test('last-used time is recorded', async () => {
  const key = await createKey(app, ws.workspaceId, 'READ');
  await gqlOk(app, key, WorkspaceDocument);
  await app.core.bus.idle();
  await new Promise((r) => setTimeout(r, 100)); // the update is fire-and-forget
  const rows = await app.core.db.prisma.apiKey.findMany({ where: { workspaceId: ws.workspaceId, scope: 'READ' } });
  expect(rows[0].lastUsedAt).not.toBeNull();
});

test('concurrent requests with one key share one lookup and one last-used write', async () => {
  const secret = await createKey(app, ws.workspaceId, 'READ');
  const bearer = `Bearer ${secret}`;
  // A wave of WebSocket connections authenticates at once: one lookup, one lastUsedAt write
  // (it is fire-and-forget: wait until it has been sent, and a little longer for any others).
  await new Promise((r) => setTimeout(r, 100)); // earlier tests' fire-and-forget writes land before we count
  const seen: string[] = [];
  const off = app.core.db.onQuery((q) => seen.push(q.sql));
  const updates = () => seen.filter((s) => /^\s*UPDATE/i.test(s) && /api_keys/.test(s));
  try {
    const keys = await Promise.all(Array.from({ length: 50 }, () => app.authenticator.authenticate(bearer)));
    expect(new Set(keys.map((k) => k!.keyId)).size).toBe(1);
    const deadline = Date.now() + 5000;
    while (!updates().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    off();
  }
  expect(updates()).toHaveLength(1);
  expect(seen.filter((s) => /^\s*SELECT/i.test(s) && /WHERE \(`api_keys`\.`secret_hash`/.test(s))).toHaveLength(1);
});
