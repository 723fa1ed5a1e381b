/**
 * The bindings wrangler.jsonc declares. Vars arrive as strings; `readWorkerSettings` turns them
 * into typed settings. Secrets are optional here so a missing one becomes a clear error at the
 * route that needs it, never a crash.
 */
export interface WorkerEnv {
  /** Registry snapshots, mirror status and the last good config. */
  readonly REGISTRY_KV: KVNamespace;
  readonly REGISTRY_GIT_URL?: string;
  readonly REGISTRY_MAX_AGE_SECONDS?: string;
  readonly REGISTRY_STALE_WHILE_REVALIDATE_SECONDS?: string;
  readonly REGISTRY_STALE_IF_ERROR_SECONDS?: string;
  readonly CONFIG_CACHE_SECONDS?: string;
  readonly REGISTRY_TRUSTED_KEYS?: string;
  readonly CORS_ALLOWED_ORIGINS?: string;
  readonly ALLOW_LOOPBACK_HTTP?: string;
  /** Secret, optional: raises the Git host's rate limit (GitHub personal access token). */
  readonly GITHUB_TOKEN?: string;
  readonly SUPABASE_URL?: string;
  readonly SUPABASE_ANON_KEY?: string;
  /** Secret: bearer token for POST /admin/sync. */
  readonly ADMIN_TOKEN?: string;
}
