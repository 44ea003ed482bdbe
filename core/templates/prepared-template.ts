// A template version ready to render: its Liquid parsed once and its links marked. Versions
// never change, so prepared versions are cached in memory by id for the life of the process.
import type { Template as LiquidTemplate } from 'liquidjs';
import type { WorkspaceContext } from '../context';
import { NotFoundError, ValidationError, type IssuePath } from '../errors';
import { htmlLiquid, liquidIssue, textLiquid } from './liquid-engine';
import { markHtmlLinks, markPixel, markTextLinks, type LinkSlot } from './link-markers';

export interface PreparedTemplate {
  versionId: number;
  templateId: number;
  version: number;
  workspaceId: number;
  subject: LiquidTemplate[];
  preheader: LiquidTemplate[] | null;
  html: LiquidTemplate[];
  text: LiquidTemplate[];
  /** The tracked links of the HTML, by index (`linkIndex` in RenderDecorations.linkUrl). */
  links: LinkSlot[];
  /** Memo of decorated link URLs (null: not trackable), per utm object (see render-message.ts). */
  utmCache: WeakMap<object, Map<string, string | null>>;
}

/** The stored fields of a version that rendering needs. */
export interface VersionSource {
  id: number;
  templateId: number;
  version: number;
  workspaceId: number;
  subject: string;
  preheader: string | null;
  html: string;
  text: string;
}

/** Parses a compiled version. `subjectOverride` replaces the subject (e.g. an A/B variant's). */
export function prepareTemplate(v: VersionSource, opts: { subjectOverride?: string | null } = {}): PreparedTemplate {
  const marked = markHtmlLinks(v.html);
  return {
    versionId: v.id,
    templateId: v.templateId,
    version: v.version,
    workspaceId: v.workspaceId,
    subject: textLiquid.parse(opts.subjectOverride ?? v.subject),
    preheader: v.preheader ? textLiquid.parse(v.preheader) : null,
    html: htmlLiquid.parse(markPixel(marked.html)),
    text: textLiquid.parse(markTextLinks(v.text, marked.links)),
    links: marked.links,
    utmCache: new WeakMap(),
  };
}

const MAX_CACHED = 256;
const cache = new Map<string, PreparedTemplate>();

/**
 * The prepared version `versionId` of the caller's workspace, from the in-memory cache or
 * loaded once (one statement). `subjectOverride` must have been checked with checkSubjectTemplate.
 */
export async function loadPreparedTemplate(
  ctx: WorkspaceContext,
  args: { versionId: number; subjectOverride?: string | null },
): Promise<PreparedTemplate> {
  const key = `${args.versionId}\u0000${args.subjectOverride ?? ''}`;
  const hit = cache.get(key);
  if (hit) {
    if (hit.workspaceId !== ctx.workspaceId) throw new NotFoundError('template version', args.versionId);
    // Refresh its place in the LRU order.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const row = await ctx.db.prisma.templateVersion.findFirst({
    where: { id: args.versionId, workspaceId: ctx.workspaceId },
    select: { id: true, templateId: true, version: true, workspaceId: true, subject: true, preheader: true, html: true, text: true },
  });
  if (!row) throw new NotFoundError('template version', args.versionId);
  const prepared = prepareOrExplain(row, args.subjectOverride, ['subject']);
  cache.set(key, prepared);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return prepared;
}

function prepareOrExplain(row: VersionSource, subjectOverride: string | null | undefined, path: IssuePath): PreparedTemplate {
  try {
    return prepareTemplate(row, { subjectOverride });
  } catch (err) {
    // Stored versions parsed at save time; only an unchecked subject override can fail here.
    throw new ValidationError('the subject is not a valid Liquid template', [liquidIssue(err, path)]);
  }
}

/** Empties the cache (tests). */
export function clearPreparedTemplates(): void {
  cache.clear();
}
