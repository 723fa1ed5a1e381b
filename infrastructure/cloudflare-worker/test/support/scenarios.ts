/**
 * Names shared by the Node side (global setup, which starts the loopback servers) and the tests
 * inside workerd. Each Git scenario is a path on the local Git host; each control-plane scenario is
 * a path prefix on the stand-in Supabase, used as SUPABASE_URL. A prefix that names no scenario
 * answers as whatever scenario a test scripts for it (see `scriptedControlPlane` in
 * worker-harness.ts): its own request count and edge-cache entry, and a switch to recover.
 */
export const GIT_SCENARIOS = {
  /** Registry version 2, three plugins: the Worker's default REGISTRY_GIT_URL in tests. */
  current: '/v2/registry.json',
  newer: '/v3/registry.json',
  older: '/v1/registry.json',
  rateLimited: '/limited/registry.json',
  serverError: '/broken/registry.json',
  garbage: '/garbage/registry.json',
  schemaInvalid: '/invalid/registry.json',
  expired: '/expired/registry.json',
  /** Version 4 with a detached signature file by the trusted test key (`{path}.sig`). */
  signed: '/signed/registry.json',
  /** The signed registry changed by one byte, next to the signature of the original. */
  tampered: '/tampered/registry.json',
  /** Version 4 signed by a key nobody trusts. */
  strangerSigned: '/stranger/registry.json',
  /** Served after 300 ms, so concurrent cold requests overlap. */
  slow: '/slow/registry.json',
  missing: '/missing/registry.json',
} as const;

/** Served by the stand-in control plane server, only with `Authorization: Bearer {GITHUB_TEST_TOKEN}`. */
export const PRIVATE_GIT_PATH = '/private-git/registry.json';
export const GITHUB_TEST_TOKEN = 'ghp_test_token_for_the_worker';

export const SUPABASE_TEST_ANON_KEY = 'test-anon-key';
/** The Worker's SUPABASE_SERVICE_ROLE_KEY in tests: the stand-in's ingest endpoint wants it. */
export const SUPABASE_TEST_SERVICE_ROLE_KEY = 'test-service-role-key';
export const ADMIN_TEST_TOKEN = 'test-admin-token-0123456789';

export const CONFIG_SCENARIOS = {
  /** Version 7 of a valid hybrid config, as a one-row array (a set-returning RPC). */
  good: 'good',
  /** Version 8, as a plain object (a jsonb-returning RPC). */
  goodObject: 'good-object',
  /** Answers HTTP 500. */
  down: 'down',
  /** Answers HTTP 503, as Supabase does when it is overloaded or paused. */
  unavailable: 'unavailable',
  /** Accepts the request and never answers, as a control plane that hangs. */
  hang: 'hang',
  garbage: 'garbage',
  /** Valid JSON, but a document no resolver could use (a javascript: URL and no other source). */
  invalid: 'invalid',
  /** A good config whose requests are counted, for edge-cache tests. */
  counted: 'counted',
  /** Like `counted`, answered after 300 ms, so concurrent cache misses overlap. */
  slowCounted: 'slow-counted',
} as const;

/** What the stand-in's `ingest_usage_aggregates` answers, per path prefix (`PUT /__usage-script/{prefix}`). */
export const INGEST_SCENARIOS = {
  ok: 'ok',
  /** 503, as an unavailable control plane. */
  fail: 'fail',
  /** 400 22023, as when the function refuses a batch. */
  reject: 'reject',
} as const;

/** One call the stand-in's `ingest_usage_aggregates` received (`GET /__usage-calls`). */
export interface RecordedIngestCall {
  readonly prefix: string;
  readonly status: number;
  readonly headers: Record<string, string | undefined>;
  readonly body: unknown;
}

export const GOOD_CONFIG_DOCUMENT = {
  type: 'hybrid',
  priority: ['cloudflare', 'git'],
  canaryPercent: 25,
  gitUrl: 'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json',
  cloudflareUrl: 'https://marketplace.cartae.com',
  cacheTtlSeconds: 120,
  futureField: { kept: true },
};

export const GOOD_CONFIG_UPDATED_AT = '2026-03-01T12:00:00.000Z';

/** What the stand-in's `evaluate_fleet_automation` answers for a prefix (`PUT /__evaluate-script/{prefix}`). */
export interface ScriptedEvaluation {
  readonly status: number;
  readonly body: unknown;
}

/** The stand-in's answer for a prefix nobody scripted: the automation is off. */
export const DEFAULT_EVALUATION: ScriptedEvaluation = {
  status: 200,
  body: { action: 'none', reason: 'auto-switch is off' },
};

/** One call the stand-in's `evaluate_fleet_automation` received (`GET /__evaluate-calls/{prefix}`). */
export interface RecordedEvaluateCall {
  readonly prefix: string;
  readonly status: number;
  readonly headers: Record<string, string | undefined>;
  readonly body: string;
}

/** One POST the recording webhook received (`GET /__webhook-calls/{id}`), with its raw body. */
export interface RecordedWebhookCall {
  readonly id: string;
  readonly status: number;
  readonly headers: Record<string, string | undefined>;
  readonly body: string;
}
