// Generates the plain-text part from the compiled HTML once, at save time (html-to-text is
// far too slow to run per message). It runs on the HTML whose Liquid is still replaced by
// placeholders, so the result is itself a Liquid template rendered per recipient.
import { convert, type SelectorDefinition } from 'html-to-text';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

const SELECTORS: SelectorDefinition[] = [
  // Alt text would read as noise in the text part; linked images keep their link below.
  { selector: 'img', format: 'skip' },
  // Hidden content (preheader fillers, mobile-only duplicates) is not for the text reader.
  { selector: '[style*="display:none"]', format: 'skip' },
  { selector: '[style*="display: none"]', format: 'skip' },
  // MJML lays out with tables: a cell is a block, not a column to squeeze into a grid.
  { selector: 'table', format: 'block' },
  { selector: 'tr', format: 'block' },
  { selector: 'td', format: 'block' },
  { selector: 'th', format: 'block' },
  // Always print the href: the link markers of the renderer find links by it.
  { selector: 'a', options: { linkBrackets: ['[', ']'], hideLinkHrefIfSameAsText: false, noAnchorUrl: true } },
  // Upper-casing would also change Liquid placeholders; headings stay as written.
  ...HEADINGS.map((h): SelectorDefinition => ({ selector: h, options: { uppercase: false } })),
];

/** The text part for an HTML document. */
export function htmlToText(html: string): string {
  const text = convert(html, { wordwrap: 78, selectors: SELECTORS });
  return text.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim() + '\n';
}
