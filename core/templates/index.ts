// The templates domain's public API. Delivery uses the renderer in three steps:
//
//   const tpl = await loadPreparedTemplate(ctx, { versionId, subjectOverride });   // cached per version
//   const scopes = await loadTemplateScopes(ctx, { contactIds, campaign });       // 5 statements per batch
//   for (const m of batch) {
//     const email = renderMessage(tpl, scopes.get(m.contactId)!, {
//       unsubscribeUrl, openPixelUrl, utm, linkUrl: (url, linkIndex) => trackedUrl,
//     });                                                                          // sync, per message
//   }
//
// Authoring: createTemplate / saveTemplateVersion compile once at save time (MJML, Liquid
// checks, text part, lint); renderPreview shows what one contact would get.
export { createTemplate, saveTemplateVersion, updateTemplate, getTemplateRow, getTemplateVersionRow, type SaveResult } from './templates.service';
export { compileTemplateContent, checkSubjectTemplate, type TemplateContent, type CompiledContent } from './template-compiler';
export { loadPreparedTemplate, prepareTemplate, clearPreparedTemplates, type PreparedTemplate, type VersionSource } from './prepared-template';
export { renderMessage, type RenderDecorations, type RenderedEmail } from './render-message';
export { loadTemplateScopes, type LoadScopesArgs, type RecommendationSource } from './template-context-loader';
export { renderPreview, PREVIEW_UNSUBSCRIBE_URL, type PreviewResult } from './render-preview';
export { emptyScope, type TemplateScope, type ContactVars, type CampaignVars, type WorkspaceVars, type Recommendation } from './template-scope';
export type { TemplateWarning, TemplateWarningCode } from './template-lint';
export type { LinkSlot } from './link-markers';
