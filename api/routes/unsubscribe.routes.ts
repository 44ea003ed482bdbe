// Unsubscribing: RFC 8058 one-click (the mail client POSTs "List-Unsubscribe=One-Click" to
// the List-Unsubscribe URL, no cookies, no confirmation) and a page for people who follow the
// link. GET only shows the page: link scanners fetch URLs, and must not unsubscribe anyone.
import { defineRoute, type RouteDefinition } from '../../plugins/sdk/define-plugin';
import { unsubscribeByToken, unsubscribeTarget } from '../../core/tracking/tracking-events';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(status: number, title: string, body: string): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}button{font-size:1rem;padding:.6rem 1.2rem;cursor:pointer}</style>
</head><body><h1>${esc(title)}</h1>${body}</body></html>`;
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } });
}

const unknown = () => page(404, 'Link not recognised', '<p>This unsubscribe link is not valid. If you copied it, check that it is complete.</p>');

export function unsubscribeRoutes(): RouteDefinition[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/u/:token',
      auth: 'public',
      handler: async ({ params, core }) => {
        if (params.token === 'test') return page(200, 'Test message', '<p>This link came from a test send; nobody was unsubscribed.</p>');
        const target = await unsubscribeTarget(core, params.token);
        if (!target) return unknown();
        return page(200, 'Unsubscribe', `<p>Stop marketing email to <strong>${esc(target.email)}</strong>?</p>
<form method="post"><input type="hidden" name="confirm" value="yes"><button type="submit">Unsubscribe</button></form>`);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/u/:token',
      auth: 'public',
      handler: async ({ request, params, core }) => {
        // Mail clients send "List-Unsubscribe=One-Click" (RFC 8058); our page sends confirm=yes.
        const body = await request.text().catch(() => '');
        const source = body.includes('List-Unsubscribe=One-Click') ? 'one-click' : 'page';
        if (params.token === 'test') return page(200, 'Test message', '<p>Nobody was unsubscribed: this was a test send.</p>');
        const target = await unsubscribeTarget(core, params.token);
        if (!target || !(await unsubscribeByToken(core, params.token, source))) return unknown();
        return page(200, 'You are unsubscribed', `<p><strong>${esc(target.email)}</strong> will receive no more marketing email from us.</p>`);
      },
    }),
  ];
}
