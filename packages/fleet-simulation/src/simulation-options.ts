import { CONFIG_LIMITS } from '@cartae/marketplace-core';
import { type StrategySpec, strategyLabel } from './strategy-spec.ts';

/** How people use the app during a day. Times are the fleet's local time. */
export interface ActivityOptions {
  /** Share of installs that open the app at all on a given day. Default 0.6. */
  readonly dailyActiveShare: number;
  /** Mean app sessions per active install per day (1 + Poisson). Default 2.5. */
  readonly sessionsPerActiveDay: number;
  /** Median session length in minutes (log-normal, sigma 1). Default 25. */
  readonly sessionMedianMinutes: number;
  /** Share of sessions where the app is left open for 3–9 hours. Default 0.08. */
  readonly longSessionShare: number;
  /** Chance that the user opens the marketplace in a session's first three minutes. Default 0.25. */
  readonly browseAtStartChance: number;
  /** Mean minutes between later marketplace visits while the app is open. Default 45. */
  readonly browseEveryMinutes: number;
  /** Mean plugin detail pages opened per marketplace visit (Poisson). Default 1.2. */
  readonly pluginViewsPerBrowse: number;
  /** Standard deviation, in hours, of each install's daily rhythm around the fleet's. Default 1.5. */
  readonly clockSpreadHours: number;
}

/** Addresses, GitHub's quota, Cloudflare's edge and latencies. */
export interface NetworkOptions {
  /** Share of installs behind a shared public address (office, campus, carrier NAT). Default 0.25. */
  readonly sharedIpShare: number;
  /** Number of shared addresses; their sizes follow a Zipf law. Other installs have their own. Default 60. */
  readonly sharedIps: number;
  /** GitHub's unauthenticated quota per address and hour (fixed window from the first request). Default 60. */
  readonly gitLimitPerHour: number;
  /** Cloudflare data centres the fleet reaches (Zipf-weighted traffic). Default 20. */
  readonly edgeLocations: number;
  /** The Worker's `CONFIG_CACHE_SECONDS`: how long each data centre keeps `/api/config`. Default 15. */
  readonly edgeConfigCacheSeconds: number;
  /**
   * Whether a data centre's concurrent misses share one Supabase request. The Worker does (its
   * `/api/config` single-flights Supabase reads per isolate): true, the default; false shows the
   * load without it.
   */
  readonly edgeSingleFlight: boolean;
  /** The Worker's `USAGE_SHARDS`: Durable Objects that aggregate usage reports. Default 8. */
  readonly usageShards: number;
  /** Round trip from an app to Supabase, ms. Default 120. */
  readonly supabaseLatencyMs: number;
  /** Round trip from an app to the nearest data centre, ms. Default 40. */
  readonly edgeLatencyMs: number;
}

/** A period when Git answers 429 to every address of the fleet. */
export interface RateLimitEpisode {
  readonly startHour: number;
  readonly minutes: number;
  /** `retry-after` Git sends with each 429 during the episode. Default 60 (GitHub's advice: wait a minute). */
  readonly retryAfterSeconds?: number;
}

/** What `runSimulation` accepts. Every field has a default. */
export interface SimulationOptions {
  /** Installed apps. Default 10,000. */
  readonly installs?: number;
  /** Simulated hours from midnight. Default 24. */
  readonly hours?: number;
  /** Seed of every random draw: same seed, same report. Default 1. */
  readonly seed?: number;
  /** When the admin switches the fleet, hours from midnight; `null` for no switch. Default 14. */
  readonly switchAtHour?: number | null;
  /** Fields of the config document the admin switches to. Default Cloudflare only. */
  readonly switchTo?: Readonly<Record<string, unknown>>;
  /** Git rate-limit episode; `null` for none. Default 10:00 for 40 minutes. */
  readonly rateLimitEpisode?: RateLimitEpisode | null;
  readonly activity?: Partial<ActivityOptions>;
  readonly network?: Partial<NetworkOptions>;
  /** Strategies to compare, run on the same fleet and the same day. Default: see `DEFAULT_STRATEGIES`. */
  readonly strategies?: readonly StrategySpec[];
  /** Width of the chart's time bins, minutes. Default 5. */
  readonly binMinutes?: number;
  /** Propagation target checked in the report, seconds. Default 30. */
  readonly targetP99Seconds?: number;
}

/** The options with every default filled in, as recorded in the report. */
export interface ResolvedSimulationOptions {
  readonly installs: number;
  readonly hours: number;
  readonly seed: number;
  readonly switchAtHour: number | null;
  readonly switchTo: Readonly<Record<string, unknown>>;
  readonly rateLimitEpisode: Required<RateLimitEpisode> | null;
  readonly activity: ActivityOptions;
  readonly network: NetworkOptions;
  readonly strategies: readonly (StrategySpec & { readonly label: string })[];
  readonly binMinutes: number;
  readonly targetP99Seconds: number;
}

/** Default activity: about 60 % of installs open the app on a given day, ~2.5 times, browsing now and then. */
export const DEFAULT_ACTIVITY: ActivityOptions = {
  dailyActiveShare: 0.6,
  sessionsPerActiveDay: 2.5,
  sessionMedianMinutes: 25,
  longSessionShare: 0.08,
  browseAtStartChance: 0.25,
  browseEveryMinutes: 45,
  pluginViewsPerBrowse: 1.2,
  clockSpreadHours: 1.5,
};

/** Default network: a quarter of installs behind shared addresses, 20 data centres, the Worker's defaults. */
export const DEFAULT_NETWORK: NetworkOptions = {
  sharedIpShare: 0.25,
  sharedIps: 60,
  gitLimitPerHour: 60,
  edgeLocations: 20,
  edgeConfigCacheSeconds: 15,
  edgeSingleFlight: true,
  usageShards: 8,
  supabaseLatencyMs: 120,
  edgeLatencyMs: 40,
};

/** The admin panel's suggested `autoSwitch` (`AUTO_SWITCH_DEFAULTS` of plugin-admin), enabled. */
export const AUTO_SWITCH_EXAMPLE = {
  enabled: true,
  rateLimitedPercent: 70,
  windowMinutes: 10,
  target: 'hybrid-cdn-first',
} as const;

/**
 * The default comparison: the user's design; our resolver with its defaults (edge endpoint polled
 * every 15 s, telemetry on); the same polling at the TTL only (before `configPollSeconds`); the
 * same reading Supabase directly; and our defaults with the automatic switch enabled in the
 * config document, which turns the fleet's usage reports into a switch during a Git rate limit.
 */
export const DEFAULT_STRATEGIES: readonly StrategySpec[] = [
  { kind: 'user-design' },
  { kind: 'resolver' },
  {
    kind: 'resolver',
    label: 'ours, polling at the TTL only (before configPollSeconds)',
    configPollSeconds: 300,
  },
  { kind: 'resolver', configPath: 'supabase', label: 'ours, reading Supabase directly (no edge)' },
  {
    kind: 'resolver',
    label: 'ours + auto-switch (autoSwitch: 70 % over 10 min → hybrid-cdn-first)',
    document: { autoSwitch: AUTO_SWITCH_EXAMPLE },
  },
];

function check(condition: boolean, message: string): void {
  if (!condition) throw new TypeError(`runSimulation: ${message}`);
}

function share(name: string, value: number): void {
  check(Number.isFinite(value) && value >= 0 && value <= 1, `${name} must be between 0 and 1, got ${value}`);
}

function positive(name: string, value: number): void {
  check(Number.isFinite(value) && value > 0, `${name} must be a positive number, got ${value}`);
}

function checkActivity(a: ActivityOptions): void {
  share('activity.dailyActiveShare', a.dailyActiveShare);
  share('activity.longSessionShare', a.longSessionShare);
  share('activity.browseAtStartChance', a.browseAtStartChance);
  check(a.sessionsPerActiveDay >= 1, 'activity.sessionsPerActiveDay must be at least 1');
  positive('activity.sessionMedianMinutes', a.sessionMedianMinutes);
  positive('activity.browseEveryMinutes', a.browseEveryMinutes);
  check(a.pluginViewsPerBrowse >= 0 && a.pluginViewsPerBrowse <= 50, 'activity.pluginViewsPerBrowse: 0..50');
  check(a.clockSpreadHours >= 0, 'activity.clockSpreadHours must be ≥ 0');
}

function checkNetwork(n: NetworkOptions): void {
  share('network.sharedIpShare', n.sharedIpShare);
  check(Number.isInteger(n.sharedIps) && n.sharedIps >= 1, 'network.sharedIps must be a whole number ≥ 1');
  check(Number.isInteger(n.gitLimitPerHour) && n.gitLimitPerHour >= 1, 'network.gitLimitPerHour: whole ≥ 1');
  check(Number.isInteger(n.edgeLocations) && n.edgeLocations >= 1, 'network.edgeLocations: whole ≥ 1');
  check(n.edgeConfigCacheSeconds >= 0, 'network.edgeConfigCacheSeconds must be ≥ 0 (0: no edge cache)');
  check(
    Number.isInteger(n.usageShards) && n.usageShards >= 1 && n.usageShards <= 256,
    'network.usageShards: whole, 1..256',
  );
  check(n.supabaseLatencyMs >= 0 && n.edgeLatencyMs >= 0, 'network latencies must be ≥ 0 ms');
}

/**
 * Fills defaults and checks the options; throws a TypeError that says what to fix.
 *
 * @example
 * resolveSimulationOptions({ installs: 1000 }).strategies.map((s) => s.label);
 * // ["user's design (Supabase direct, TTL 300 s)", 'ours (edge /api/config, defaults)', …]
 */
export function resolveSimulationOptions(options: SimulationOptions = {}): ResolvedSimulationOptions {
  const installs = options.installs ?? 10_000;
  const hours = options.hours ?? 24;
  const seed = options.seed ?? 1;
  check(Number.isInteger(installs) && installs >= 1 && installs <= 1_000_000, 'installs: 1..1,000,000');
  check(Number.isFinite(hours) && hours > 0 && hours <= 24 * 14, 'hours must be in (0, 336]');
  check(Number.isInteger(seed), `seed must be an integer, got ${seed}`);
  const switchAtHour = options.switchAtHour === undefined ? 14 : options.switchAtHour;
  check(
    switchAtHour === null || (switchAtHour >= 0 && switchAtHour < hours),
    `switchAtHour must be within the simulated ${hours} hours, or null`,
  );
  const episode =
    options.rateLimitEpisode === undefined ? { startHour: 10, minutes: 40 } : options.rateLimitEpisode;
  const rateLimitEpisode = episode === null ? null : { retryAfterSeconds: 60, ...episode };
  if (rateLimitEpisode) {
    check(
      rateLimitEpisode.startHour >= 0 && rateLimitEpisode.startHour < hours,
      'rateLimitEpisode.startHour',
    );
    positive('rateLimitEpisode.minutes', rateLimitEpisode.minutes);
    check(rateLimitEpisode.retryAfterSeconds >= 0, 'rateLimitEpisode.retryAfterSeconds must be ≥ 0');
  }
  const activity = { ...DEFAULT_ACTIVITY, ...options.activity };
  const network = { ...DEFAULT_NETWORK, ...options.network };
  checkActivity(activity);
  checkNetwork(network);
  const specs = options.strategies ?? DEFAULT_STRATEGIES;
  check(specs.length >= 1, 'strategies must name at least one strategy');
  const strategies = specs.map((spec) => {
    const ttl = spec.kind === 'user-design' ? spec.configTtlSeconds : spec.document?.cacheTtlSeconds;
    check(
      ttl === undefined ||
        (typeof ttl === 'number' &&
          ttl >= CONFIG_LIMITS.cacheTtlSeconds.min &&
          ttl <= CONFIG_LIMITS.cacheTtlSeconds.max),
      `a strategy's config TTL must be ${CONFIG_LIMITS.cacheTtlSeconds.min}..${CONFIG_LIMITS.cacheTtlSeconds.max} s`,
    );
    return { ...spec, label: spec.label ?? strategyLabel(spec) };
  });
  const binMinutes = options.binMinutes ?? 5;
  check(binMinutes >= 1 && binMinutes <= 60, 'binMinutes must be 1..60');
  const targetP99Seconds = options.targetP99Seconds ?? 30;
  positive('targetP99Seconds', targetP99Seconds);
  return {
    installs,
    hours,
    seed,
    switchAtHour,
    switchTo: options.switchTo ?? { type: 'cloudflare', priority: ['cloudflare'] },
    rateLimitEpisode,
    activity,
    network,
    strategies,
    binMinutes,
    targetP99Seconds,
  };
}
