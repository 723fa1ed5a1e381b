import type {
  AutoSwitchSettings,
  AutoSwitchTarget,
  MarketplaceSourceConfig,
  SourceKind,
} from '@cartae/marketplace-core';

/**
 * The automatic switch of `evaluate_fleet_automation` (supabase/migrations/
 * 20261130200000_fleet_auto_switch.sql, body as of 20261201090000_usage_batches_and_install_votes.sql),
 * rule for rule, over the Git rows of `usage_minutes`. Pure.
 */

/** `c_min_installs`, `c_min_requests`, `c_cooldown` of the SQL. */
export const AUTO_SWITCH_GUARDS = { minInstalls: 20, minRequests: 100, cooldownMs: 60 * 60_000 } as const;

/** `marketplace_private.source_presets()`: what each target writes. */
export const SOURCE_PRESETS: Readonly<
  Record<
    AutoSwitchTarget,
    { readonly type: MarketplaceSourceConfig['type']; readonly priority: SourceKind[] }
  >
> = {
  git: { type: 'git', priority: ['git'] },
  cloudflare: { type: 'cloudflare', priority: ['cloudflare'] },
  'hybrid-cdn-first': { type: 'hybrid', priority: ['cloudflare', 'git'] },
  'hybrid-git-first': { type: 'hybrid', priority: ['git', 'cloudflare'] },
};

/** What the control plane holds for Git in one minute, summed over shards and config versions. */
export interface GitMinute {
  requests: number;
  rateLimited: number;
  installs: number;
  rateLimitedInstalls: number;
}

export interface AutoSwitchEvidence {
  readonly from: number;
  readonly to: number;
  /** Installs in the window's busiest minute. */
  readonly installs: number;
  readonly requests: number;
  readonly rateLimited: number;
  readonly installMinutes: number;
  readonly rateLimitedInstallMinutes: number;
}

export type AutoSwitchDecision =
  | {
      readonly action: 'switched';
      readonly config: MarketplaceSourceConfig;
      readonly evidence: AutoSwitchEvidence;
    }
  | {
      readonly action: 'none';
      readonly reason:
        | 'off'
        | 'on-target'
        | 'not-enough-evidence'
        | 'no-rate-limit'
        | 'below-threshold'
        | 'too-few-installs'
        | 'cooling-down';
      readonly evidence?: AutoSwitchEvidence;
    };

const MINUTE = 60_000;

function presetOf(config: MarketplaceSourceConfig): AutoSwitchTarget | undefined {
  for (const [id, preset] of Object.entries(SOURCE_PRESETS)) {
    if (preset.type === config.type && preset.priority.join() === config.priority.join()) {
      return id as AutoSwitchTarget;
    }
  }
  return undefined;
}

/** The Git sums over the window's complete minutes [to − window, to), to = the minute `now` is in. */
export function windowEvidence(
  minutes: ReadonlyMap<number, GitMinute>,
  windowMinutes: number,
  now: number,
): AutoSwitchEvidence {
  const to = Math.floor(now / MINUTE) * MINUTE;
  const from = to - windowMinutes * MINUTE;
  let requests = 0;
  let rateLimited = 0;
  let installMinutes = 0;
  let rateLimitedInstallMinutes = 0;
  let installs = 0;
  for (let m = from; m < to; m += MINUTE) {
    const row = minutes.get(m);
    if (row === undefined) continue;
    requests += row.requests;
    rateLimited += Math.min(row.rateLimited, row.requests);
    installMinutes += row.installs;
    rateLimitedInstallMinutes += Math.min(row.rateLimitedInstalls, row.installs);
    installs = Math.max(installs, row.installs);
  }
  return { from, to, installs, requests, rateLimited, installMinutes, rateLimitedInstallMinutes };
}

/** The database's `usage_settle_delay()`: evaluations judge as of now minus this. */
export const USAGE_SETTLE_DELAY_MS = 30_000;

/**
 * One evaluation at `now` (the Worker's cron, each minute): switches to `autoSwitch.target` when,
 * over the last `windowMinutes` complete minutes, Git's rate-limited share of requests and of
 * install-minutes both reach `rateLimitedPercent`, with at least 20 installs in the busiest minute,
 * 100 requests and one rate limit, and no automatic switch in the last hour.
 *
 * @example
 * evaluateAutoSwitch(current, minutes, undefined, 10 * 3_600_000 + 600_000); // { action: 'none', reason: 'no-rate-limit', … }
 */
export function evaluateAutoSwitch(
  current: MarketplaceSourceConfig,
  minutes: ReadonlyMap<number, GitMinute>,
  lastSwitchAt: number | undefined,
  now: number,
): AutoSwitchDecision {
  const auto: AutoSwitchSettings | undefined = current.autoSwitch;
  if (auto === undefined || !auto.enabled) return { action: 'none', reason: 'off' };
  // As the database does since 20261201170000: judged as of 30 s ago, when every complete minute
  // before then has been delivered by the Worker (usage_settle_delay).
  const judged = now - USAGE_SETTLE_DELAY_MS;
  const evidence = windowEvidence(minutes, auto.windowMinutes, judged);
  const preset = SOURCE_PRESETS[auto.target];
  const onTarget =
    preset.type === 'hybrid' ? presetOf(current) === auto.target : current.type === preset.type;
  if (onTarget) return { action: 'none', reason: 'on-target', evidence };
  if (
    evidence.installs < AUTO_SWITCH_GUARDS.minInstalls ||
    evidence.requests < AUTO_SWITCH_GUARDS.minRequests
  ) {
    return { action: 'none', reason: 'not-enough-evidence', evidence };
  }
  if (evidence.rateLimited === 0) return { action: 'none', reason: 'no-rate-limit', evidence };
  const threshold = auto.rateLimitedPercent;
  if (evidence.rateLimited * 100 < threshold * evidence.requests) {
    return { action: 'none', reason: 'below-threshold', evidence };
  }
  if (evidence.rateLimitedInstallMinutes * 100 < threshold * evidence.installMinutes) {
    return { action: 'none', reason: 'too-few-installs', evidence };
  }
  if (lastSwitchAt !== undefined && judged < lastSwitchAt + AUTO_SWITCH_GUARDS.cooldownMs) {
    return { action: 'none', reason: 'cooling-down', evidence };
  }
  // Every other field is kept (URLs, canary, TTL, autoSwitch itself).
  return {
    action: 'switched',
    config: { ...current, type: preset.type, priority: [...preset.priority] },
    evidence,
  };
}
