import { checkUrl } from '@cartae/marketplace-core';
import type { WorkerEnv } from '../worker-env.ts';
import type { WorkerSettings } from '../worker-settings.ts';

/** Where closed minutes go: the control plane's `ingest_usage_aggregates` with the service role key. */
export interface UsageFlushTarget {
  readonly url: string;
  readonly serviceRoleKey: string;
}

export type UsageTelemetry =
  | { readonly enabled: true; readonly target: UsageFlushTarget }
  | { readonly enabled: false; readonly reason: string };

/**
 * The one judgement of whether this deployment takes usage reports, and where their aggregates
 * go. Telemetry needs the Durable Object binding and the service role key; without them the
 * Worker answers config polls as always and ignores their reports (/health says why). Pure.
 *
 * @example
 * usageTelemetry(env, settings); // { enabled: false, reason: 'telemetry flush disabled: SUPABASE_SERVICE_ROLE_KEY is not set' }
 */
export function usageTelemetry(
  env: Partial<Pick<WorkerEnv, 'USAGE_AGGREGATOR' | 'SUPABASE_URL' | 'SUPABASE_SERVICE_ROLE_KEY'>>,
  settings: Pick<WorkerSettings, 'urlPolicy'>,
): UsageTelemetry {
  if (env.USAGE_AGGREGATOR === undefined) {
    return { enabled: false, reason: 'telemetry disabled: the USAGE_AGGREGATOR binding is missing' };
  }
  const key = env.SUPABASE_SERVICE_ROLE_KEY?.trim() ?? '';
  if (key === '') {
    return { enabled: false, reason: 'telemetry flush disabled: SUPABASE_SERVICE_ROLE_KEY is not set' };
  }
  const raw = env.SUPABASE_URL?.trim() ?? '';
  if (raw === '') return { enabled: false, reason: 'telemetry flush disabled: SUPABASE_URL is not set' };
  const base = checkUrl(raw, settings.urlPolicy);
  if (!base.ok) return { enabled: false, reason: `telemetry flush disabled: SUPABASE_URL ${base.error}` };
  return {
    enabled: true,
    target: {
      url: `${base.value.replace(/\/+$/, '')}/rest/v1/rpc/ingest_usage_aggregates`,
      serviceRoleKey: key,
    },
  };
}
