/**
 * The part of `cloudflare:test` (from @cloudflare/vitest-pool-workers) these tests use, typed with
 * this Worker's env. The package's own declarations need @cloudflare/workers-types as globals,
 * which this project does not load (see src/workers-runtime.d.ts). Keep `TestEnv` in step with
 * src/worker-env.ts (the harness assigns one to the other, so tsc catches a drift).
 */
declare module 'cloudflare:test' {
  export interface TestEnv {
    readonly REGISTRY_KV: KVNamespace;
    readonly REGISTRY_GIT_URL?: string;
    readonly REGISTRY_MAX_AGE_SECONDS?: string;
    readonly REGISTRY_STALE_WHILE_REVALIDATE_SECONDS?: string;
    readonly REGISTRY_STALE_IF_ERROR_SECONDS?: string;
    readonly CONFIG_CACHE_SECONDS?: string;
    readonly REGISTRY_TRUSTED_KEYS?: string;
    readonly CORS_ALLOWED_ORIGINS?: string;
    readonly ALLOW_LOOPBACK_HTTP?: string;
    readonly GITHUB_TOKEN?: string;
    readonly SUPABASE_URL?: string;
    readonly SUPABASE_ANON_KEY?: string;
    readonly ADMIN_TOKEN?: string;
    readonly TEST_GIT_HOST_URL: string;
    readonly TEST_CONTROL_PLANE_URL: string;
    readonly TEST_TRUSTED_KEYS: string;
    readonly TEST_SUPABASE_STAND_IN_URL: string;
    readonly TEST_SUPABASE_STAND_IN_ANON_KEY: string;
  }
  export const env: TestEnv;
  export const SELF: { fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> };
  export function createExecutionContext(): ExecutionContext;
  export function waitOnExecutionContext(ctx: ExecutionContext): Promise<void>;
  export function createScheduledController(options?: {
    scheduledTime?: number;
    cron?: string;
  }): ScheduledController;
}
