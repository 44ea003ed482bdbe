// Lint warnings: problems that do not stop a save but hurt delivery or readers. Each has a
// stable code that editors can key on; docs/templates.md lists them.
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { isMissingTable } from './sql-tolerance';

export type TemplateWarningCode = 'NO_UNSUBSCRIBE_LINK' | 'NO_TEXT_PART' | 'HTML_TOO_LARGE' | 'IMAGE_WITHOUT_ALT' | 'UNKNOWN_PERSONA';

export interface TemplateWarning {
  code: TemplateWarningCode;
  message: string;
  /** Which source the warning is about. */
  field: 'mjml' | 'text' | 'subject' | 'preheader';
  /** 1-based line in that source, when it points at one place. */
  line: number | null;
}

/** Gmail clips a message whose HTML is over 102 KB ("[Message clipped]"), hiding the footer and its unsubscribe link. */
export const GMAIL_CLIP_BYTES = 102 * 1024;

export interface LintInput {
  mjml: string;
  html: string;
  text: string;
  subject: string;
  preheader: string | null;
  htmlBytes: number;
}

/** The static lint rules (no database). */
export function lintTemplate(input: LintInput): TemplateWarning[] {
  const warnings: TemplateWarning[] = [];
  if (!/href\s*=\s*["']\s*\{\{-?\s*unsubscribe_url\b/.test(input.html)) {
    warnings.push({
      code: 'NO_UNSUBSCRIBE_LINK', field: 'mjml', line: null,
      message: 'no unsubscribe link: add <a href="{{ unsubscribe_url }}">Unsubscribe</a> (marketing email must offer one in the body)',
    });
  }
  const visibleText = input.text.replace(/\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}|\[[^\]]*\]/g, '').replace(/[^\p{L}\p{N}]+/gu, '');
  if (visibleText.length < 20) {
    warnings.push({
      code: 'NO_TEXT_PART', field: 'text', line: null,
      message: 'the text part has (almost) no words: an image-only email reads badly in text clients and looks like spam',
    });
  }
  if (input.htmlBytes > GMAIL_CLIP_BYTES) {
    warnings.push({
      code: 'HTML_TOO_LARGE', field: 'mjml', line: null,
      message: `the HTML is ${(input.htmlBytes / 1024).toFixed(1)} KB; Gmail clips messages over 102 KB (hiding the rest, including the unsubscribe link)`,
    });
  }
  for (const m of input.mjml.matchAll(/<(mj-image|img)\b([^>]*)>/gi)) {
    if (!/\balt\s*=/i.test(m[2])) {
      warnings.push({
        code: 'IMAGE_WITHOUT_ALT', field: 'mjml', line: lineOf(input.mjml, m.index!),
        message: `<${m[1]}> has no alt text (screen readers and clients that block images show nothing); use alt="" for decoration`,
      });
    }
  }
  return warnings;
}

const PERSONA_TEST = /personas\s+contains\s+(["'])([^"']+)\1/g;

/** Warns about persona slugs the templates test that the workspace does not have (one statement). */
export async function lintPersonaSlugs(ctx: WorkspaceContext, sources: { field: TemplateWarning['field']; source: string }[]): Promise<TemplateWarning[]> {
  const found: { field: TemplateWarning['field']; slug: string; line: number }[] = [];
  for (const { field, source } of sources) {
    for (const m of source.matchAll(PERSONA_TEST)) found.push({ field, slug: m[2], line: lineOf(source, m.index!) });
  }
  if (!found.length) return [];
  let known: Set<string>;
  try {
    const [rows] = await ctx.db.sql.query<RowDataPacket[]>('SELECT slug FROM personas WHERE workspace_id = ? AND slug IN (?)', [
      ctx.workspaceId, [...new Set(found.map((f) => f.slug))],
    ]);
    known = new Set(rows.map((r) => String(r.slug)));
  } catch (err) {
    if (!isMissingTable(err)) throw err;
    known = new Set();
  }
  return found
    .filter((f) => !known.has(f.slug))
    .map((f) => ({ code: 'UNKNOWN_PERSONA' as const, field: f.field, line: f.line, message: `no persona has the slug "${f.slug}" (yet): this condition is false for every contact` }));
}

function lineOf(source: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}
