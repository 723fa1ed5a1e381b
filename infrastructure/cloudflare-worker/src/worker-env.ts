/**
 * The Worker's bindings. `Env` is generated from wrangler.jsonc (bindings, vars and
 * `secrets.required`) into src/worker-configuration.d.ts by `npm run cf-typegen`; rerun it after
 * changing wrangler.jsonc (`npm run check` fails while the file is out of date). Vars arrive as
 * strings; `readWorkerSettings` turns them into typed settings, and a missing secret becomes a
 * clear error at the route that needs it, never a crash. SUPABASE_SERVICE_ROLE_KEY (usage
 * telemetry only) may be missing too: telemetry is then off (`usageTelemetry`).
 */
export type WorkerEnv = Env & {
  /** Secret, optional: raises the Git host's rate limit (GitHub personal access token). */
  readonly GITHUB_TOKEN?: string;
};
