// Public tracking endpoints: the open pixel and the click redirect. Tokens are signed; a
// tampered or unknown token is a 404 and records nothing, and the redirect only ever goes to
// a URL the message contained (core/tracking/tracking-tokens.ts, tracked-links.ts).
import { defineRoute, type RouteDefinition } from '../../plugins/sdk/define-plugin';
import { recordClick, recordOpen } from '../../core/tracking/tracking-events';
import { clientIp } from '../../core/tracking/machine-open';

// The smallest transparent GIF (43 bytes).
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const NO_STORE = { 'cache-control': 'no-store, no-cache, must-revalidate, private', pragma: 'no-cache' };

const notFound = () => new Response('not found', { status: 404, headers: { 'content-type': 'text/plain', ...NO_STORE } });

function meta(request: Request) {
  return { userAgent: request.headers.get('user-agent'), ip: clientIp(request.headers), method: request.method };
}

export function trackingRoutes(): RouteDefinition[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/t/o/:token',
      auth: 'public',
      handler: async ({ request, params, core }) => {
        if (!(await recordOpen(core, params.token, meta(request)))) return notFound();
        return new Response(PIXEL, { status: 200, headers: { 'content-type': 'image/gif', 'content-length': String(PIXEL.length), ...NO_STORE } });
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/t/c/:token',
      auth: 'public',
      handler: async ({ request, params, core }) => {
        const url = await recordClick(core, params.token, meta(request));
        if (!url) return notFound();
        return new Response(null, { status: 302, headers: { location: url, 'referrer-policy': 'no-referrer', ...NO_STORE } });
      },
    }),
  ];
}
