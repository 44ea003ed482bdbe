// Dashboard throughput with autocannon: the dashboard query (20 campaigns with their figures,
// variants and persona breakdown) and, as the ceiling, `{ __typename }` through the same
// server, key check and rate limiter, in the same run.
import os from 'node:os';
import autocannon from 'autocannon';

export const DASHBOARD_QUERY = `query Dashboard($first: Int!) {
  campaignDashboard(first: $first) {
    edges { node {
      id name status
      metrics {
        recipients sent delivered opened clicked conversions revenue openRate clickRate clickToOpenRate conversionRate
        variants { name sent opened clicked openRate clickRate }
        personas(limit: 5) { name recipients opened clicked openRate clickRate }
      }
    } }
  }
}`;

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** Load average (1, 5, 15 min) when the run started. */
  load: string;
}

export async function load(args: { url: string; key: string; query: string; variables?: Record<string, unknown>; connections: number; seconds: number }): Promise<LoadResult> {
  const loadAtStart = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const result = await autocannon({
    url: `${args.url}/graphql`,
    method: 'POST',
    connections: args.connections,
    duration: args.seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${args.key}` },
    body: JSON.stringify({ query: args.query, variables: args.variables ?? {} }),
  });
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, load: loadAtStart };
}

/** The same selection through the generic `campaigns` connection (Prisma page + Campaign.metrics). */
export const CAMPAIGNS_QUERY = DASHBOARD_QUERY.replace('campaignDashboard(first: $first)', 'campaigns(first: $first)');
