// The sandboxed Liquid engines templates run in. Authors are workspace users, so a template
// must not read files, reach prototypes, or run away with CPU and memory; and contact data
// is untrusted, so HTML output is escaped and our in-band link markers cannot be forged.
import { Liquid, LiquidError, Tag, type TagToken, type Template, type TopLevelToken } from 'liquidjs';
import type { Issue, IssuePath } from '../errors';
import { stripMarkers } from './link-markers';

const NO_FILES_MESSAGE = 'is not available in email templates (templates cannot read files)';

/** A tag that fails at parse time: include, render and layout would read partials from disk. */
function forbiddenTag(name: string) {
  return class extends Tag {
    constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
      super(token, remain, liquid);
      throw new Error(`{% ${name} %} ${NO_FILES_MESSAGE}`);
    }
    *render(): Generator<unknown, void, unknown> {}
  };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML-escapes a value and drops the control characters our markers use. */
export function escapeHtml(value: unknown): string {
  const s = value == null ? '' : String(value);
  return stripMarkers(s).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

function plain(value: unknown): string {
  return stripMarkers(value == null ? '' : String(value));
}

function createEngine(outputEscape: (v: unknown) => string): Liquid {
  const engine = new Liquid({
    outputEscape,
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    relativeReference: false,
    root: [],
    partials: [],
    layouts: [],
    fs: {
      exists: async () => false,
      existsSync: () => false,
      readFile: async () => { throw new Error(NO_FILES_MESSAGE); },
      readFileSync: () => { throw new Error(NO_FILES_MESSAGE); },
      resolve: (_dir: string, file: string) => file,
    },
    // Guards against `{% for i in (1..100000000) %}` and friends; far above any real email.
    parseLimit: 2_000_000,
    renderLimit: 2_000,
    memoryLimit: 50_000_000,
    timezoneOffset: 0,
  });
  for (const name of ['include', 'render', 'layout']) engine.registerTag(name, forbiddenTag(name));
  return engine;
}

/** Escapes every output for HTML, so contact data cannot inject markup; an author opts out with `| raw`. */
export const htmlLiquid = createEngine(escapeHtml);
/** For subject, preheader and the text part: no escaping. */
export const textLiquid = createEngine(plain);

/** A Liquid parse/tokenisation error as an issue at `path`, with its line and column. */
export function liquidIssue(err: unknown, path: IssuePath, lineOffset = 0): Issue {
  if (err instanceof LiquidError) {
    const pos = (err.token as unknown as { getPosition?: () => number[] } | undefined)?.getPosition?.();
    const text = err.message.replace(/, line:\d+, col:\d+$/, '');
    if (pos) return { path, message: `line ${pos[0] + lineOffset}, column ${pos[1]}: ${text}` };
    return { path, message: text };
  }
  return { path, message: err instanceof Error ? err.message : String(err) };
}

/** Parses with `engine`, collecting a syntax error as an issue instead of throwing. */
export function tryParse(engine: Liquid, source: string, path: IssuePath, issues: Issue[]): Template[] | null {
  try {
    return engine.parse(source);
  } catch (err) {
    issues.push(liquidIssue(err, path));
    return null;
  }
}
