// The campaign lifecycle through GraphQL: validation with paths and nothing written, draft →
// scheduled/sending → sent, pause/resume/cancel, tenancy, personas in audiences, test sends.
import type { RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import { createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { gql, gqlOk, errorCodes } from '../support/graphql-client';
import {
  CampaignDocument, CancelCampaignDocument, CreateCampaignDocument, LaunchCampaignDocument, PauseCampaignDocument, PreviewAudienceDocument,
  ResumeCampaignDocument, SendTestEmailDocument, UpdateCampaignDocument, type CampaignInput,
} from '../generated/graphql';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { defineAttribute } from '../../core/attributes/attribute-definitions';
import { createPersona } from '../../core/personas/personas.service';
import { basicTemplate, campaignTestHooks, drain, manyContacts, seedContacts, statusCounts, type TestClock, testSender } from './campaign-fixtures';

let app: App;
let ws: TestWorkspace;
let clock: TestClock;
let templateId: string;

campaignTestHooks((env) => ({ app, ws, clock } = env));
beforeEach(async () => {
  templateId = encodeGlobalID('Template', String((await basicTemplate(ws.ctx)).templateId));
});

const input = (over: Partial<CampaignInput> = {}): CampaignInput => ({ name: 'Spring sale', from: { email: 'shop@example.com', name: 'Shop' }, variants: [{ templateId }], ...over });
const idNum = (gid: string) => Number(Buffer.from(gid, 'base64').toString().split(':')[1]);

test('bad input is one BAD_USER_INPUT listing every problem by path, and nothing is written', async () => {
  const res = await gql(app, ws.key, CreateCampaignDocument, {
    input: input({
      from: { email: 'not-an-email' },
      variants: [{ templateId }, { templateId: encodeGlobalID('Template', '999999999') }],
      audience: { includePersonaIds: [encodeGlobalID('Persona', '999999999')] },
      schedule: { mode: 'AT' },
    }),
  });
  expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  const paths = res.errors![0].extensions!.issues!.map((i) => i.path.join('.'));
  expect(paths).toEqual(expect.arrayContaining(['input.from.email', 'input.schedule.sendAt', 'input.abTest']));
  const [[{ n }]] = await app.core.db.sql.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM campaigns WHERE workspace_id = ?', [ws.workspaceId]);
  expect(Number(n)).toBe(0);

  // Once the shape is right, references are checked against the workspace.
  const refs = await gql(app, ws.key, CreateCampaignDocument, {
    input: input({ variants: [{ templateId: encodeGlobalID('Template', '999999999') }], audience: { includePersonaIds: [encodeGlobalID('Persona', '999999999')] } }),
  });
  expect(refs.errors![0].extensions!.issues!.map((i) => i.path.join('.')).sort()).toEqual(['input.audience.includePersonaIds.0', 'input.variants.0.templateId']);
});

test('draft → sending → sent, with pause and resume in between', async () => {
  await seedContacts(ws.ctx, manyContacts(12));
  const { createCampaign } = await gqlOk(app, ws.key, CreateCampaignDocument, { input: input() });
  expect(createCampaign.status).toBe('DRAFT');
  const { updateCampaign } = await gqlOk(app, ws.key, UpdateCampaignDocument, { id: createCampaign.id, input: input({ name: 'Renamed' }) });
  expect(updateCampaign.name).toBe('Renamed');

  const { launchCampaign } = await gqlOk(app, ws.key, LaunchCampaignDocument, { id: createCampaign.id });
  expect(launchCampaign).toMatchObject({ status: 'SENDING', audienceCount: 12 });
  expect(launchCampaign.variants[0].templateVersion).toMatchObject({ version: 1 });
  // Launched campaigns are frozen.
  expect(errorCodes(await gql(app, ws.key, UpdateCampaignDocument, { id: createCampaign.id, input: input() }))).toEqual(['FAILED_PRECONDITION']);
  expect(errorCodes(await gql(app, ws.key, LaunchCampaignDocument, { id: createCampaign.id }))).toEqual(['FAILED_PRECONDITION']);

  const { pauseCampaign } = await gqlOk(app, ws.key, PauseCampaignDocument, { id: createCampaign.id, reason: 'checking the copy' });
  expect(pauseCampaign).toMatchObject({ status: 'PAUSED', pauseReason: 'checking the copy' });
  const sender = testSender(app, { batchSize: 5 });
  expect(await drain(app, sender, ws.workspaceId)).toBe(0);
  expect(await statusCounts(app, idNum(createCampaign.id))).toEqual({ QUEUED: 12 });

  expect((await gqlOk(app, ws.key, ResumeCampaignDocument, { id: createCampaign.id })).resumeCampaign).toMatchObject({ status: 'SENDING', pauseReason: null });
  expect(await drain(app, sender, ws.workspaceId)).toBe(12);
  const { campaign } = await gqlOk(app, ws.key, CampaignDocument, { id: createCampaign.id });
  expect(campaign).toMatchObject({ status: 'SENT', stats: { recipients: 12, sent: 12 } });
  expect(campaign.completedAt).not.toBeNull();
});

test('a campaign scheduled for later waits, then sends; cancelling stops what has not gone', async () => {
  await seedContacts(ws.ctx, manyContacts(6));
  const at = new Date(clock.now.getTime() + 3600_000).toISOString();
  const { createCampaign } = await gqlOk(app, ws.key, CreateCampaignDocument, { input: input({ schedule: { mode: 'AT', sendAt: at } }) });
  const { launchCampaign } = await gqlOk(app, ws.key, LaunchCampaignDocument, { id: createCampaign.id });
  expect(launchCampaign).toMatchObject({ status: 'SCHEDULED', audienceCount: 6 });
  const sender = testSender(app);
  expect(await drain(app, sender, ws.workspaceId)).toBe(0);

  clock.advance(3600_000);
  const { createCampaign: other } = await gqlOk(app, ws.key, CreateCampaignDocument, { input: input({ name: 'Later', schedule: { mode: 'AT', sendAt: new Date(clock.now.getTime() + 86_400_000).toISOString() } }) });
  await gqlOk(app, ws.key, LaunchCampaignDocument, { id: other.id });
  expect(await drain(app, sender, ws.workspaceId)).toBe(6);
  expect((await gqlOk(app, ws.key, CampaignDocument, { id: createCampaign.id })).campaign.status).toBe('SENT');

  const { cancelCampaign } = await gqlOk(app, ws.key, CancelCampaignDocument, { id: other.id });
  expect(cancelCampaign.status).toBe('CANCELLED');
  expect(await statusCounts(app, idNum(other.id))).toEqual({ CANCELLED: 6 });
});

test('another workspace\'s campaign behaves as if it did not exist', async () => {
  const { createCampaign } = await gqlOk(app, ws.key, CreateCampaignDocument, { input: input() });
  const stranger = await createTestWorkspace(app);
  expect(errorCodes(await gql(app, stranger.key, CampaignDocument, { id: createCampaign.id }))).toEqual(['NOT_FOUND']);
  expect(errorCodes(await gql(app, stranger.key, LaunchCampaignDocument, { id: createCampaign.id }))).toEqual(['NOT_FOUND']);
});

test('audience: included personas minus excluded ones and the filter; the preview counts what a launch takes', async () => {
  await defineAttribute(ws.ctx, { key: 'region', type: 'STRING' });
  await defineAttribute(ws.ctx, { key: 'vip', type: 'BOOLEAN' });
  await seedContacts(ws.ctx, [
    { email: 'n1@example.com', attributes: { region: 'north', vip: true } },
    { email: 'n2@example.com', attributes: { region: 'north', vip: false } },
    { email: 'n3@example.com', attributes: { region: 'north', vip: false }, consent: 'PENDING' },
    { email: 's1@example.com', attributes: { region: 'south', vip: true } },
    { email: 's2@example.com', attributes: { region: 'south' } },
  ]);
  // Creating a persona materialises its membership.
  const { persona: north } = await createPersona(ws.ctx, { slug: 'north', name: 'North', rule: { attribute: { key: 'region', op: 'EQ', value: 'north' } } });
  const { persona: vips } = await createPersona(ws.ctx, { slug: 'vip', name: 'VIP', rule: { attribute: { key: 'vip', op: 'EQ', value: true } } });
  const audience = {
    includePersonaIds: [encodeGlobalID('Persona', String(north.id))],
    excludePersonaIds: [encodeGlobalID('Persona', String(vips.id))],
  };
  const { previewAudience } = await gqlOk(app, ws.key, PreviewAudienceDocument, { audience });
  expect(previewAudience).toEqual({ matched: 2, noEmail: 0, notConsenting: 1, suppressed: 0, eligible: 1 });

  const { createCampaign } = await gqlOk(app, ws.key, CreateCampaignDocument, { input: input({ audience }) });
  await gqlOk(app, ws.key, LaunchCampaignDocument, { id: createCampaign.id });
  await drain(app, testSender(app), ws.workspaceId);
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>('SELECT email FROM messages WHERE campaign_id = ?', [idNum(createCampaign.id)]);
  expect(rows.map((r) => r.email)).toEqual(['n2@example.com']);

  // A filter alone: every contact matching it.
  const byFilter = await gqlOk(app, ws.key, PreviewAudienceDocument, { audience: { filter: { attributes: [{ key: 'region', op: 'EQ', value: 'south' }] } } });
  expect(byFilter.previewAudience).toMatchObject({ matched: 2, eligible: 2 });
});

test('a test send goes to the seed list, marked [Test], without touching the campaign', async () => {
  const [adaId] = await seedContacts(ws.ctx, [{ email: 'ada@example.com', firstName: 'Ada' }]);
  const { createCampaign } = await gqlOk(app, ws.key, CreateCampaignDocument, { input: input() });
  const { sendTestEmail } = await gqlOk(app, ws.key, SendTestEmailDocument, {
    id: createCampaign.id, emails: ['qa@example.com', 'boss@example.com'], contactId: encodeGlobalID('Contact', String(adaId)),
  });
  expect(sendTestEmail).toEqual([
    { email: 'qa@example.com', variant: 'A', status: 'accepted', reason: null },
    { email: 'boss@example.com', variant: 'A', status: 'accepted', reason: null },
  ]);
  const [rows] = await app.core.db.sql.query<RowDataPacket[]>('SELECT to_email, subject FROM outbox_messages WHERE workspace_id = ? ORDER BY id', [ws.workspaceId]);
  expect(rows).toEqual([{ to_email: 'qa@example.com', subject: '[Test] Hi Ada' }, { to_email: 'boss@example.com', subject: '[Test] Hi Ada' }]);
  expect((await gqlOk(app, ws.key, CampaignDocument, { id: createCampaign.id })).campaign).toMatchObject({ status: 'DRAFT', stats: { recipients: 0 } });
  const bad = await gql(app, ws.key, SendTestEmailDocument, { id: createCampaign.id, emails: ['ok@example.com', 'nope'] });
  expect(bad.errors![0].extensions!.issues).toEqual([{ path: ['emails', 1], message: expect.any(String) }]);
});
