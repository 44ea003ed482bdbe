import type { App } from '../../api/app';
import { createKey, createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { gql, gqlOk, errorCodes } from '../support/graphql-client';
import { AuditLogDocument, CreateContactDocument, DeleteContactDocument } from '../generated/graphql';

let app: App;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app);
});
afterAll(() => app.close());

test('changes are recorded with the acting key and the request id; only ADMIN keys read the log', async () => {
  const writer = await createKey(app, ws.workspaceId, 'WRITE');
  const { createContact } = await gqlOk(app, writer, CreateContactDocument, { input: { email: 'audited@example.com' } });
  const res = await gql(app, writer, DeleteContactDocument, { id: createContact.id }, { 'x-request-id': 'req-123' });
  expect(res.errors).toBeUndefined();

  const writerKeyId = String((await app.core.db.prisma.apiKey.findFirstOrThrow({ where: { workspaceId: ws.workspaceId, scope: 'WRITE' } })).id);
  const log = await gqlOk(app, ws.key, AuditLogDocument, {});
  const actions = log.auditLog.edges.map((e) => e.node);
  expect(actions.find((a) => a.action === 'contact.deleted')).toMatchObject({ actorType: 'api_key', actorId: writerKeyId, targetType: 'Contact', requestId: 'req-123' });
  expect(actions.find((a) => a.action === 'contact.created')).toMatchObject({ actorType: 'api_key', actorId: writerKeyId });

  expect(errorCodes(await gql(app, writer, AuditLogDocument, {}))).toEqual(['FORBIDDEN']);
});
