// renderPreview(templateId, contactId): exactly what that contact would get from a version,
// through the same prepared template and render function the delivery worker uses. Only the
// per-message decorations differ: links are left untracked and the unsubscribe URL is a
// recognisable placeholder, because a preview must not mint real tokens.
import type { WorkspaceContext } from '../context';
import { NotFoundError } from '../errors';
import { loadPreparedTemplate } from './prepared-template';
import { renderMessage, type RenderedEmail } from './render-message';
import { loadTemplateScopes, type RecommendationSource } from './template-context-loader';
import type { CampaignVars } from './template-scope';
import { getTemplateVersionRow } from './templates.service';

export const PREVIEW_UNSUBSCRIBE_URL = 'https://preview.personae.invalid/unsubscribe';

export interface PreviewResult extends RenderedEmail {
  templateId: number;
  versionId: number;
  version: number;
  contactId: number;
  /** UTF-8 size of this recipient's HTML (Gmail clips over 102 KB). */
  htmlBytes: number;
}

/** Renders a template version (the latest unless `versionId` is given) for one contact. */
export async function renderPreview(
  ctx: WorkspaceContext,
  args: {
    templateId: number;
    contactId: number;
    versionId?: number;
    campaign?: CampaignVars;
    utm?: Record<string, string>;
    unsubscribeUrl?: string;
    recommendations?: RecommendationSource;
  },
): Promise<PreviewResult> {
  const version = await getTemplateVersionRow(ctx, { templateId: args.templateId, versionId: args.versionId });
  const [prepared, scopes] = await Promise.all([
    loadPreparedTemplate(ctx, { versionId: version.id }),
    loadTemplateScopes(ctx, { contactIds: [args.contactId], campaign: args.campaign, recommendations: args.recommendations }),
  ]);
  const scope = scopes.get(args.contactId);
  if (!scope) throw new NotFoundError('contact', args.contactId);
  const rendered = renderMessage(prepared, scope, { unsubscribeUrl: args.unsubscribeUrl ?? PREVIEW_UNSUBSCRIBE_URL, utm: args.utm });
  return {
    ...rendered,
    templateId: version.templateId,
    versionId: version.id,
    version: version.version,
    contactId: args.contactId,
    htmlBytes: Buffer.byteLength(rendered.html, 'utf8'),
  };
}
