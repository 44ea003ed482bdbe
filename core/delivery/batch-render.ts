// Renders a claimed batch into provider-ready emails: one scope load for the whole batch
// (a constant number of statements), then a synchronous render per recipient with its own
// signed open pixel, click links and RFC 8058 unsubscribe headers.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { WorkspaceContext } from '../context';
import type { OutgoingEmail } from '../ports/email-provider';
import { loadPreparedTemplate, loadTemplateScopes, renderMessage, type PreparedTemplate } from '../templates';
import type { LinkCollector } from '../tracking/tracked-links';
import type { MessageTracking } from '../tracking/tracking-urls';
import type { Recipient } from './recipient-checks';

export interface SendingCampaign {
  id: number;
  name: string;
  fromEmail: string;
  fromName: string | null;
  replyToEmail: string | null;
  replyToName: string | null;
  /** utm_* query parameters; the same object for every batch (the renderer memoises per object). */
  utm: Record<string, string> | undefined;
  variants: Map<number, { id: number; name: string; templateVersionId: number | null; subject: string | null; fromName: string | null }>;
}

export interface RenderedBatch {
  ok: { recipient: Recipient; email: OutgoingEmail }[];
  failures: { id: bigint; error: string }[];
}

// Rendering is synchronous CPU work (Liquid, MJML): a batch of 500 takes a core for about half
// a second. The sender runs several batches at once, and another batch's commit must be
// announced when it happens, not after this batch is rendered (live metrics measured p99 +100 ms
// with whole-batch renders), so the loop is handed back at least this often.
const RENDER_SLICE_MS = 10;

type TrackingFor = (args: { messageId: bigint; workspaceId: number; campaignId: number; links: LinkCollector }) => MessageTracking;

export async function renderBatch(
  ctx: WorkspaceContext,
  args: { campaign: SendingCampaign; recipients: Recipient[]; tracking: TrackingFor; links: LinkCollector },
): Promise<RenderedBatch> {
  const { campaign } = args;
  const out: RenderedBatch = { ok: [], failures: [] };
  const templates = new Map<number, PreparedTemplate | Error>();
  for (const v of campaign.variants.values()) {
    if (!v.templateVersionId) templates.set(v.id, new Error(`variant ${v.name} has no template version (was the campaign launched?)`));
    else templates.set(v.id, await loadPreparedTemplate(ctx, { versionId: v.templateVersionId, subjectOverride: v.subject }).catch((e: Error) => e));
  }
  const scopes = await loadTemplateScopes(ctx, { contactIds: args.recipients.map((r) => r.contactId), campaign: { id: campaign.id, name: campaign.name } });
  const campaignVars = new Map([...campaign.variants.values()].map((v) => [v.id, { id: campaign.id, name: campaign.name, variant: v.name }]));

  let sliceStart = performance.now();
  for (const r of args.recipients) {
    if (performance.now() - sliceStart > RENDER_SLICE_MS) {
      await nextTurn();
      sliceStart = performance.now();
    }
    const variant = r.variantId === null ? undefined : campaign.variants.get(r.variantId);
    const template = variant && templates.get(variant.id);
    const scope = scopes.get(r.contactId);
    if (!variant || !template || template instanceof Error || !scope) {
      out.failures.push({ id: r.id, error: !variant ? 'no variant assigned' : !scope ? 'contact not found' : `template: ${(template as Error)?.message ?? 'missing'}` });
      continue;
    }
    const tracking = args.tracking({ messageId: r.id, workspaceId: ctx.workspaceId, campaignId: campaign.id, links: args.links });
    try {
      const rendered = renderMessage(template, { ...scope, campaign: campaignVars.get(variant.id)! }, {
        unsubscribeUrl: tracking.unsubscribeUrl,
        openPixelUrl: tracking.openPixelUrl,
        linkUrl: tracking.linkUrl,
        utm: campaign.utm,
      });
      out.ok.push({
        recipient: r,
        email: {
          messageId: String(r.id),
          to: { email: r.email, ...(scope.contact.full_name ? { name: scope.contact.full_name } : {}) },
          from: { email: campaign.fromEmail, ...((variant.fromName ?? campaign.fromName) ? { name: (variant.fromName ?? campaign.fromName)! } : {}) },
          ...(campaign.replyToEmail ? { replyTo: { email: campaign.replyToEmail, ...(campaign.replyToName ? { name: campaign.replyToName } : {}) } } : {}),
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
          headers: tracking.headers,
          customArgs: { personae_message_id: String(r.id), personae_campaign_id: String(campaign.id) },
          categories: [`campaign-${campaign.id}`],
        },
      });
    } catch (err) {
      out.failures.push({ id: r.id, error: `render: ${(err as Error).message}` });
    }
  }
  return out;
}

/** The utm_* parameters of a campaign's UTM settings. */
export function utmParams(utm: unknown): Record<string, string> | undefined {
  if (!utm || typeof utm !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(utm as Record<string, unknown>)) if (typeof v === 'string' && v) out[`utm_${k}`] = v;
  return Object.keys(out).length ? out : undefined;
}
