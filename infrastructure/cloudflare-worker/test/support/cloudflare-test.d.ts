/**
 * The part of `cloudflare:test` (from @cloudflare/vitest-pool-workers) these tests use, typed with
 * this Worker's env. The package's own declarations need @cloudflare/workers-types as globals,
 * which this project does not load (see src/workers-runtime.d.ts). `TestEnv` extends the `Env`
 * that `npm run cf-typegen` generates from wrangler.jsonc.
 */
declare module 'cloudflare:test' {
  /** The Worker's generated `Env` plus the loopback URLs the tier's global setup provides. */
  export interface TestEnv extends Env {
    readonly GITHUB_TOKEN?: string;
    /** Optional secret, not in `secrets.required`: tests set it per run. */
    readonly ALERT_WEBHOOK_SECRET?: string;
    readonly TEST_GIT_HOST_URL: string;
    readonly TEST_CONTROL_PLANE_URL: string;
    readonly TEST_TRUSTED_KEYS: string;
    readonly TEST_SUPABASE_STAND_IN_URL: string;
    readonly TEST_SUPABASE_STAND_IN_ANON_KEY: string;
    readonly TEST_SUPABASE_STAND_IN_SERVICE_ROLE_KEY: string;
  }
  export const env: TestEnv;
  export const SELF: { fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> };
  export function createExecutionContext(): ExecutionContext;
  export function waitOnExecutionContext(ctx: ExecutionContext): Promise<void>;
  export function createScheduledController(options?: {
    scheduledTime?: number;
    cron?: string;
  }): ScheduledController;
  /** Runs `callback` inside the object `stub` points to, with the instance and its state. */
  export function runInDurableObject<O, R>(
    stub: DurableObjectStub<O>,
    callback: (instance: O, state: DurableObjectState) => R | Promise<R>,
  ): Promise<R>;
  /** Runs the object's alarm now if one is set (and removes it); `true` when one ran. */
  export function runDurableObjectAlarm(stub: DurableObjectStub<unknown>): Promise<boolean>;
  /** Tears down the object's instance, keeping its storage: the next call starts a new instance. */
  export function evictDurableObject(stub: DurableObjectStub<unknown>): Promise<void>;
}
