// Link and open-pixel decoration without re-parsing HTML per message. When a version is
// prepared, every tracked href is wrapped in control-character markers (\u0001<index>\u0002
// <url>\u0003) and the pixel spot gets \u0001P\u0003; after Liquid renders, one regex pass
// swaps each marker for the decorated URL. Link indexes are positions in the template, so
// they are the same for every recipient whatever their conditionals render.

const M_START = '\u0001';
const M_SEP = '\u0002';
const M_END = '\u0003';
const MARKER_CHARS = /[\u0001-\u0003]/g;
const MARKER = /\u0001(?:(\d+)\u0002([^\u0003]*)|P)\u0003/g;

export const PIXEL_MARKER = `${M_START}P${M_END}`;

/** Removes marker characters from untrusted text (contact data), so it cannot forge a marker. */
export function stripMarkers(s: string): string {
  return s.length && /[\u0001-\u0003]/.test(s) ? s.replace(MARKER_CHARS, '') : s;
}

/** One tracked link of a template: its position and its href as written (may contain Liquid). */
export interface LinkSlot {
  index: number;
  source: string;
}

const HREF = /(<a\b[^>]*?\bhref\s*=\s*)(["'])(.*?)\2/gis;
const UNTRACKED_SOURCE = /^\s*(?:$|#|mailto:|tel:|sms:|\{\{-?\s*unsubscribe_url\s*-?\}\})/i;

/** Wraps each trackable href of the compiled HTML in a link marker. */
export function markHtmlLinks(html: string): { html: string; links: LinkSlot[] } {
  const links: LinkSlot[] = [];
  const marked = html.replace(HREF, (whole, open: string, quote: string, source: string) => {
    if (UNTRACKED_SOURCE.test(source)) return whole;
    const index = links.length;
    links.push({ index, source });
    return `${open}${quote}${M_START}${index}${M_SEP}${source}${M_END}${quote}`;
  });
  return { html: marked, links };
}

/**
 * Marks the same links in the text part. The text shows hrefs as written (entities decoded),
 * so a link is found by its source, bounded by brackets, spaces or line ends; it keeps the
 * index of its first appearance in the HTML.
 */
export function markTextLinks(text: string, links: LinkSlot[]): string {
  const byText = new Map<string, number>();
  for (const l of links) {
    const t = decodeEntities(l.source).trim();
    if (t && !byText.has(t)) byText.set(t, l.index);
  }
  if (!byText.size) return text;
  const alternatives = [...byText.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(^|[\\s\\[(<])(${alternatives.join('|')})(?=$|[\\s\\])>])`, 'gm');
  return text.replace(pattern, (_m, lead: string, src: string) => `${lead}${M_START}${byText.get(src)}${M_SEP}${src}${M_END}`);
}

/** Puts the pixel marker just before </body> (or at the end). */
export function markPixel(html: string): string {
  const at = html.lastIndexOf('</body>');
  return at < 0 ? html + PIXEL_MARKER : html.slice(0, at) + PIXEL_MARKER + html.slice(at);
}

export interface LinkDecorator {
  /**
   * The URL tracking should see for a rendered href (`html`: still entity-encoded), with UTM
   * parameters added; null when it is not an http(s) link. Callers memoise it per version.
   */
  prepare(raw: string, html: boolean): string | null;
  linkUrl?: (url: string, linkIndex: number) => string;
  openPixelUrl?: string;
}

/** Replaces every marker of a rendered part. `html` decides attribute escaping. */
export function applyMarkers(rendered: string, d: LinkDecorator, html: boolean): string {
  if (!rendered.includes(M_START)) return rendered;
  return rendered.replace(MARKER, (_m, index: string | undefined, raw: string | undefined) => {
    if (index === undefined) return html && d.openPixelUrl ? pixelTag(d.openPixelUrl) : '';
    let out = d.prepare(raw!, html);
    if (out === null) return raw!;
    if (d.linkUrl) out = d.linkUrl(out, Number(index));
    return html ? escapeAttr(out) : out;
  });
}

/** Decodes and checks a rendered href: the trimmed URL when it is http(s), else null. */
export function trackableUrl(raw: string, html: boolean): string | null {
  const url = (html ? decodeEntities(raw) : raw).trim();
  return /^https?:\/\//i.test(url) ? url : null;
}

function pixelTag(src: string): string {
  return `<img src="${escapeAttr(src)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;margin:0;padding:0;" />`;
}

const ENTITY = /&(?:amp|lt|gt|quot|apos|#39|#x27|#34);/g;
const ENTITY_CHARS: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&#39;': "'", '&#x27;': "'", '&#34;': '"' };

/** Decodes the entities HTML escaping produces (enough for hrefs we or Liquid wrote). */
export function decodeEntities(s: string): string {
  return s.includes('&') ? s.replace(ENTITY, (e) => ENTITY_CHARS[e]) : s;
}

const ATTR_SPECIAL = /[&"'<]/g;
const ATTR_ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&#39;', '<': '&lt;' };

/** Escapes a value for a quoted HTML attribute. */
export function escapeAttr(s: string): string {
  return s.replace(ATTR_SPECIAL, (c) => ATTR_ESCAPES[c]);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
