// MJML → HTML with the Liquid kept intact. Every Liquid tag and output is swapped for an
// opaque placeholder before MJML runs (so MJML never escapes, reflows or validates Liquid),
// then swapped back. MJML silently drops text that sits between layout elements, which is
// exactly where `{% if %}…{% endif %}` around a section goes: such tags are wrapped in
// <mj-raw> and compiled again, and any placeholder that still goes missing is an error with
// its line, never a silently different email.
import { randomBytes } from 'node:crypto';
import mjml2html from 'mjml';
import { Tokenizer, TokenKind } from 'liquidjs';
import type { Issue, IssuePath } from '../errors';

interface Placeholder {
  text: string;
  line: number;
  isTag: boolean;
}

export interface CompiledMjml {
  /** The HTML with placeholders still in (for text-part generation). */
  protectedHtml: string;
  /** Puts the Liquid back into a string derived from protectedHtml. */
  restore(s: string): string;
}

/** Compiles MJML; on failure pushes issues (with source lines) at `path` and returns null. */
export async function compileMjml(source: string, path: IssuePath, issues: Issue[]): Promise<CompiledMjml | null> {
  const start = issues.length;
  checkUnsupported(source, path, issues);
  if (issues.length > start) return null;

  const nonce = 'LQ' + randomBytes(4).toString('hex').toUpperCase().replace(/[0-9]/g, (d) => 'GHIJKLMNOP'[Number(d)]);
  const { placeholders, parts, lineMap } = protect(source, nonce);
  const key = (i: number) => `${nonce}${i}Z`;
  const restoreText = (s: string) => s.replace(new RegExp(`${nonce}(\\d+)Z`, 'g'), (_m, i: string) => placeholders[Number(i)].text);

  let wrapped = new Set<number>();
  let result = await runMjml(parts(wrapped), path, issues, lineMap, restoreText);
  if (!result) return null;
  const missing = placeholders.map((_, i) => i).filter((i) => !result!.html.includes(key(i)));
  if (missing.length) {
    wrapped = new Set(missing.filter((i) => inTextPosition(parts(new Set()), key(i))));
    if (wrapped.size) {
      result = await runMjml(parts(wrapped), path, issues, lineMap, restoreText);
      if (!result) return null;
    }
  }

  let lastTagAt = -1;
  placeholders.forEach((p, i) => {
    const at = result!.html.indexOf(key(i));
    const where = `line ${p.line}: ${shorten(p.text)}`;
    if (at < 0) {
      issues.push({ path, message: `${where} does not reach the HTML (MJML drops it here: inside an attribute MJML does not output, or a comment)` });
    } else if (p.isTag) {
      if (result!.html.indexOf(key(i), at + 1) >= 0) issues.push({ path, message: `${where} is repeated by MJML (it is in an attribute MJML copies); move it into content or <mj-raw>` });
      else if (at < lastTagAt) issues.push({ path, message: `${where} is moved out of order by MJML; wrap the block in <mj-raw>` });
      lastTagAt = Math.max(lastTagAt, at);
    }
  });
  if (issues.length > start) return null;
  return { protectedHtml: result.html, restore: restoreText };
}

async function runMjml(
  source: string,
  path: IssuePath,
  issues: Issue[],
  lineMap: number[],
  restore: (s: string) => string,
): Promise<{ html: string } | null> {
  try {
    const out = await mjml2html(source, { validationLevel: 'soft', keepComments: false, minify: false, beautify: false, ignoreIncludes: true });
    if (out.errors.length) {
      for (const e of out.errors) issues.push({ path, message: `line ${lineMap[e.line] ?? e.line}: ${restore(e.message)}` });
      return null;
    }
    return { html: out.html };
  } catch (err) {
    issues.push({ path, message: `MJML could not compile it: ${restore(err instanceof Error ? err.message : String(err))}` });
    return null;
  }
}

/** Replaces Liquid tokens by placeholders; `lineMap[protectedLine]` is the source line. */
function protect(source: string, nonce: string) {
  const tokens = new Tokenizer(source).readTopLevelTokens().filter((t) => t.kind === TokenKind.Tag || t.kind === TokenKind.Output);
  const placeholders: Placeholder[] = [];
  const segments: string[] = [];
  const lineMap = [0, 1];
  let line = 1;
  let protectedLine = 1;
  let pos = 0;
  const copy = (text: string) => {
    for (const ch of text) if (ch === '\n') lineMap[++protectedLine] = line + 1, line++;
    segments.push(text);
  };
  for (const t of tokens) {
    copy(source.slice(pos, t.begin));
    const text = source.slice(t.begin, t.end);
    placeholders.push({ text, line, isTag: t.kind === TokenKind.Tag });
    segments.push(`\u0000${placeholders.length - 1}`);
    line += text.split('\n').length - 1;
    pos = t.end;
  }
  copy(source.slice(pos));
  const parts = (wrapped: Set<number>) =>
    segments.map((s) => {
      if (s[0] !== '\u0000') return s;
      const i = Number(s.slice(1));
      const key = `${nonce}${i}Z`;
      return wrapped.has(i) ? `<mj-raw>${key}</mj-raw>` : key;
    }).join('');
  return { placeholders, parts, lineMap };
}

/** True when the placeholder sits between elements rather than inside a tag's attributes. */
function inTextPosition(protectedSource: string, key: string): boolean {
  const at = protectedSource.indexOf(key);
  const before = protectedSource.slice(0, at);
  return before.lastIndexOf('>') >= before.lastIndexOf('<');
}

function checkUnsupported(source: string, path: IssuePath, issues: Issue[]): void {
  const rules: [RegExp, string][] = [
    [/<mj-include\b/i, '<mj-include> is not supported: templates cannot read files'],
    [/<mj-preview\b/i, '<mj-preview> is set by the preheader field; remove it from the MJML'],
  ];
  for (const [re, message] of rules) {
    const m = re.exec(source);
    if (m) issues.push({ path, message: `line ${source.slice(0, m.index).split('\n').length}: ${message}` });
  }
}

function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}
