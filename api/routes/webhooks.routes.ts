// Provider event webhooks: POST /webhooks/email/<integration id>. The integration's provider
// plugin verifies the signature (parseWebhook); events are deduplicated by the provider's
// event id and applied to our messages (core/delivery/provider-webhooks.ts).
import { defineRoute, type RouteDefinition } from '../../plugins/sdk/define-plugin';
import { NotFoundError, ValidationError } from '../../core/errors';
import { handleProviderWebhook } from '../../core/delivery/provider-webhooks';
import { jsonResponse } from '../http-errors';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function webhookRoutes(): RouteDefinition[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/webhooks/email/:integrationId',
      auth: 'public',
      handler: async ({ request, params, core }) => {
        const id = Number(params.integrationId);
        if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundError('webhook');
        if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) throw ValidationError.at(['body'], `larger than ${MAX_BODY_BYTES} bytes`);
        const rawBody = await request.text();
        if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES) throw ValidationError.at(['body'], `larger than ${MAX_BODY_BYTES} bytes`);
        return jsonResponse(await handleProviderWebhook(core, { integrationId: id, headers: request.headers, rawBody }));
      },
    }),
  ];
}
