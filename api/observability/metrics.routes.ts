import { defineRoute, type RouteDefinition } from '../../plugins/sdk/define-plugin';
import type { AppMetrics } from './metrics-registry';

/**
 * GET /metrics in the Prometheus text format. Public like /healthz: the figures are
 * process-wide aggregates without workspace labels; restrict the path at the proxy if needed.
 */
export function metricsRoutes(metrics: AppMetrics): RouteDefinition[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/metrics',
      auth: 'public',
      handler: async () => new Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType } }),
    }),
  ];
}
