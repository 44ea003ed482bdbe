// Save-time compilation of a template's sources: Liquid syntax, unknown variables, MJML →
// HTML, the text part, the preheader, lint. Slow work (MJML ≈ tens of ms) happens here once
// per version, never per message. Every problem is collected before failing, so an editor
// gets the whole list (paths + line numbers) in one round trip.
import type { WorkspaceContext } from '../context';
import { ValidationError, type Issue, type IssuePath } from '../errors';
import { htmlLiquid, textLiquid, tryParse } from './liquid-engine';
import { compileMjml } from './mjml-compile';
import { htmlToText } from './text-part';
import { checkVariables, loadVariableCatalog } from './template-variables';
import { lintPersonaSlugs, lintTemplate, type TemplateWarning } from './template-lint';

/** A template's sources, as an author writes them. */
export interface TemplateContent {
  /** Liquid, e.g. `{{ contact.first_name | default: "Hi" }}, your picks`. */
  subject: string;
  /** Liquid; the hidden preview line inboxes show after the subject. */
  preheader?: string | null;
  /** MJML with Liquid in text, attributes (href, src, alt) and <mj-raw>. */
  mjml: string;
  /** A hand-written text part (Liquid); when absent it is generated from the HTML. */
  text?: string | null;
}

export interface CompiledContent {
  html: string;
  text: string;
  variables: string[];
  warnings: TemplateWarning[];
  htmlBytes: number;
}

export const LIMITS = { subject: 998, preheader: 500, mjml: 1_000_000, text: 1_000_000 } as const;

// MJML's own preview block, placed first in <body> so inboxes show it after the subject.
const PREHEADER_BLOCK =
  '<div style="display:none;font-size:1px;color:#ffffff;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;mso-hide:all;">{{ preheader }}</div>';

/** Compiles and checks `content`; throws a ValidationError listing every problem (paths under `path`). */
export async function compileTemplateContent(ctx: WorkspaceContext, content: TemplateContent, path: IssuePath = []): Promise<CompiledContent> {
  const at = (field: string): IssuePath => [...path, field];
  const issues: Issue[] = [];
  const preheader = content.preheader?.trim() ? content.preheader : null;
  const text = content.text?.trim() ? content.text : null;

  if (!content.subject.trim()) issues.push({ path: at('subject'), message: 'must not be empty' });
  if (!content.mjml.trim()) issues.push({ path: at('mjml'), message: 'must not be empty' });
  for (const [field, value] of [['subject', content.subject], ['preheader', preheader], ['mjml', content.mjml], ['text', text]] as const) {
    const max = LIMITS[field];
    if (value && value.length > max) issues.push({ path: at(field), message: `must be at most ${max} characters (got ${value.length})` });
  }
  if (issues.length) throw new ValidationError('invalid template', issues);

  const parsed = [
    { path: at('subject'), parsed: tryParse(textLiquid, content.subject, at('subject'), issues) },
    { path: at('preheader'), parsed: preheader ? tryParse(textLiquid, preheader, at('preheader'), issues) : [] },
    { path: at('mjml'), parsed: tryParse(htmlLiquid, content.mjml, at('mjml'), issues) },
    { path: at('text'), parsed: text ? tryParse(textLiquid, text, at('text'), issues) : [] },
  ];
  if (issues.length) throw new ValidationError('invalid template', issues);

  const catalog = await loadVariableCatalog(ctx);
  const variables = checkVariables(parsed.map((p) => ({ path: p.path, parsed: p.parsed! })), catalog, issues);

  const compiled = await compileMjml(content.mjml, at('mjml'), issues);
  if (!compiled || issues.length) throw new ValidationError('invalid template', issues);

  const html = withPreheader(compiled.restore(compiled.protectedHtml), preheader !== null);
  const textPart = text ?? compiled.restore(htmlToText(compiled.protectedHtml));
  // The Liquid must still parse after MJML moved it around (e.g. tags inside attributes).
  tryParse(htmlLiquid, html, at('mjml'), issues);
  if (!text && !tryParse(textLiquid, textPart, at('text'), [])) {
    issues.push({ path: at('text'), message: 'the generated text part is not valid Liquid (a tag inside an HTML attribute?): write the text part by hand' });
  }
  if (issues.length) throw new ValidationError('invalid template', issues);

  const htmlBytes = Buffer.byteLength(html, 'utf8');
  const warnings = [
    ...lintTemplate({ mjml: content.mjml, html, text: textPart, subject: content.subject, preheader, htmlBytes }),
    ...(await lintPersonaSlugs(ctx, [
      { field: 'subject', source: content.subject },
      { field: 'preheader', source: preheader ?? '' },
      { field: 'mjml', source: content.mjml },
      { field: 'text', source: text ?? '' },
    ])),
  ];
  return { html, text: textPart, variables, warnings, htmlBytes };
}

function withPreheader(html: string, enabled: boolean): string {
  if (!enabled) return html;
  const body = /<body\b[^>]*>/i.exec(html);
  if (!body) return PREHEADER_BLOCK + html;
  const at = body.index + body[0].length;
  return html.slice(0, at) + PREHEADER_BLOCK + html.slice(at);
}

/**
 * Checks a standalone plain-text Liquid template, e.g. a campaign variant's subject override:
 * syntax and unknown variables. Returns the variables it reads; throws a ValidationError at `path`.
 */
export async function checkSubjectTemplate(ctx: WorkspaceContext, source: string, path: IssuePath): Promise<string[]> {
  const issues: Issue[] = [];
  if (!source.trim()) issues.push({ path, message: 'must not be empty' });
  else if (source.length > LIMITS.subject) issues.push({ path, message: `must be at most ${LIMITS.subject} characters` });
  const parsed = issues.length ? null : tryParse(textLiquid, source, path, issues);
  const variables = parsed ? checkVariables([{ path, parsed }], await loadVariableCatalog(ctx), issues) : [];
  if (issues.length) throw new ValidationError('invalid subject', issues);
  return variables;
}
