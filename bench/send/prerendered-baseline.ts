// The ceiling for the send benchmark: emails rendered beforehand (the same template, real
// recipients, tracked links) pushed through the same sendgrid provider configuration to the
// same fake, in the worker's batch size, with no database work in between.
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../../core/context';
import type { OutgoingEmail } from '../../core/ports/email-provider';
import { loadPreparedTemplate, loadTemplateScopes, renderMessage } from '../../core/templates';
import { sendgridProvider } from '../../plugins/sendgrid/sendgrid.provider';

export async function preRenderedRate(ctx: WorkspaceContext, args: { sendgridBaseUrl: string; apiKey: string; templateId: number; messages: number }): Promise<number> {
  const [contacts] = await ctx.db.sql.query<RowDataPacket[]>('SELECT id, email FROM contacts WHERE workspace_id = ? ORDER BY id LIMIT 500', [ctx.workspaceId]);
  const version = await ctx.db.prisma.templateVersion.findFirstOrThrow({ where: { templateId: args.templateId } });
  const tpl = await loadPreparedTemplate(ctx, { versionId: version.id });
  const scopes = await loadTemplateScopes(ctx, { contactIds: contacts.map((c) => c.id) });
  const utm = { utm_source: 'personae' };
  const rendered: OutgoingEmail[] = contacts.map((c, i) => {
    const r = renderMessage(tpl, scopes.get(c.id)!, {
      unsubscribeUrl: `https://t.shop.example/u/${'x'.repeat(43)}${i}`,
      openPixelUrl: `https://t.shop.example/t/o/${'x'.repeat(43)}${i}`,
      linkUrl: (_url, k) => `https://t.shop.example/t/c/${'y'.repeat(59)}${i}-${k}`,
      utm,
    });
    return {
      messageId: String(i), to: { email: c.email }, from: { email: 'news@shop.example', name: 'Shop' }, subject: r.subject, html: r.html, text: r.text,
      headers: { 'List-Unsubscribe': `<https://t.shop.example/u/${i}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      customArgs: { personae_message_id: String(i) },
    };
  });
  const def = sendgridProvider({ baseUrl: args.sendgridBaseUrl });
  const config = def.config.parse({ apiKey: args.apiKey, batchSize: 500, concurrency: Number(process.env.SG_CONCURRENCY ?? 8) });
  const instance = await def.create({ config, log: ctx.log, workspaceId: ctx.workspaceId });
  const batches = Math.ceil(args.messages / 500);
  const inFlight = Number(process.env.SENDER_CONCURRENCY ?? 4);
  let next = 0;
  let accepted = 0;
  const t = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    for (let b = next++; b < batches; b = next++) {
      const outcomes = await instance.send({ messages: rendered.map((m) => ({ ...m, messageId: `${b}-${m.messageId}` })) });
      accepted += outcomes.filter((o) => o.status === 'accepted').length;
    }
  }));
  const rate = accepted / ((performance.now() - t) / 1000);
  await instance.close?.();
  return rate;
}
