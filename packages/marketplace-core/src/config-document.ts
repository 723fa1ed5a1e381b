import { DEFAULT_SOURCE_URLS, SOURCE_KIND_TABLE, type SourceKind, type SourceUrls } from './source-kind.ts';

/**
 * The source types an admin can choose: each source kind alone, or `hybrid`. Listed here rather
 * than derived from `SOURCE_KIND_TABLE` because this order is in messages the database repeats;
 * a kind missing here fails to compile in `readMarketplaceConfig`.
 */
export const SOURCE_TYPES = ['git', 'cloudflare', 'hybrid'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

/** What the fleet switches to when automatic switching fires (SPEC 4.6). */
export const AUTO_SWITCH_TARGETS = ['git', 'cloudflare', 'hybrid-cdn-first', 'hybrid-git-first'] as const;
export type AutoSwitchTarget = (typeof AUTO_SWITCH_TARGETS)[number];

export interface AutoSwitchSettings {
  readonly enabled: boolean;
  readonly rateLimitedPercent: number;
  readonly windowMinutes: number;
  readonly target: AutoSwitchTarget;
}

/**
 * The guard that rolls a recent config change back when the sources it sends traffic to err
 * (supabase/README.md, "Guarded rollout"). Optional in the document: absent means on, with
 * {@link ROLLOUT_GUARD_DEFAULTS}; `enabled: false` is the kill switch.
 */
export interface RolloutGuardSettings {
  readonly enabled: boolean;
  /** Rolls back when the new sources' error share of requests is above this, 0–100. */
  readonly errorPercent: number;
  /** How long after a change it is watched, 1–1440 minutes. */
  readonly windowMinutes: number;
}

/**
 * A scheduled canary ramp (supabase/README.md, "Canary ramp"): on a hybrid config, the control
 * plane raises `canaryPercent` to the next step once the current one has held `holdMinutes` with
 * the rollout guard holding (origin `auto-ramp`), until 100. A rollback stops it until an admin
 * changes the config again. Optional; read by the database only.
 */
export interface CanaryRampSettings {
  readonly enabled: boolean;
  /** The `canaryPercent` steps: 1–10 whole percentages, strictly increasing, the last 100. */
  readonly steps: readonly number[];
  /** How long each step holds before the next, 1–10080 minutes (a week). */
  readonly holdMinutes: number;
}

/** What the database applies when a document has no `rolloutGuard`: on, 5 % over 10 minutes. */
export const ROLLOUT_GUARD_DEFAULTS: RolloutGuardSettings = {
  enabled: true,
  errorPercent: 5,
  windowMinutes: 10,
};

/**
 * The `marketplace_source` document after parsing: defaults filled in, unknown fields dropped,
 * `priority` holding only source kinds this code knows and can reach. Each kind's URL sits in its
 * own field (`gitUrl`, `cloudflareUrl`: `SOURCE_KIND_TABLE[kind].urlField`).
 */
export interface MarketplaceSourceConfig extends SourceUrls {
  readonly type: SourceType;
  /** Order of preference. Hybrid: both kinds; single-source types: that kind alone. */
  readonly priority: readonly SourceKind[];
  readonly canaryPercent: number;
  readonly healthCheckEnabled: boolean;
  readonly healthCheckIntervalSeconds: number;
  readonly fallbackOnError: boolean;
  readonly cacheTtlSeconds: number;
  readonly autoSwitch?: AutoSwitchSettings;
  /** Absent: the database guards with {@link ROLLOUT_GUARD_DEFAULTS}. */
  readonly rolloutGuard?: RolloutGuardSettings;
  /** Absent: no ramp; `canaryPercent` moves only when an admin changes it. */
  readonly canaryRamp?: CanaryRampSettings;
}

/** Bounds and defaults shared by the TypeScript schema and the SQL validation. */
export const CONFIG_LIMITS = {
  maxDocumentBytes: 16_384,
  cacheTtlSeconds: { min: 5, max: 86_400, default: 300 },
  healthCheckIntervalSeconds: { min: 10, max: 3_600, default: 60 },
  canaryPercent: { min: 0, max: 100, default: 100 },
  autoSwitchWindowMinutes: { min: 1, max: 1_440 },
  rolloutGuardWindowMinutes: { min: 1, max: 1_440 },
  canaryRampHoldMinutes: { min: 1, max: 10_080 },
  canaryRampSteps: { max: 10 },
} as const;

/**
 * The built-in config used when no config was ever obtained: Git only, as the user's design
 * says, with every kind's `defaultUrl` from `SOURCE_KIND_TABLE`. Apps override the URLs through
 * the resolver's options.
 */
export const DEFAULT_MARKETPLACE_CONFIG: MarketplaceSourceConfig = {
  type: 'git',
  priority: ['git'],
  canaryPercent: 100,
  ...DEFAULT_SOURCE_URLS,
  healthCheckEnabled: true,
  healthCheckIntervalSeconds: 60,
  fallbackOnError: true,
  cacheTtlSeconds: 300,
};

/** The URL configured for a source kind, if any. */
export function sourceUrl(config: MarketplaceSourceConfig, kind: SourceKind): string | undefined {
  return config[SOURCE_KIND_TABLE[kind].urlField];
}
