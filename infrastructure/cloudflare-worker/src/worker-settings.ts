import { checkUrl, readTrustedKey, type TrustedRegistryKey, type UrlPolicy } from '@cartae/marketplace-core';
import { type AlertWebhookSetting, readAlertWebhookUrl } from './alerts/alert-webhook-setting.ts';
import { DEFAULT_USAGE_SHARDS, MAX_USAGE_SHARDS } from './usage/usage-shard.ts';
import type { WorkerEnv } from './worker-env.ts';

/** The Worker's vars, parsed once per request. Problems are reported on /health, never thrown. */
export interface WorkerSettings {
  readonly gitUrl: string | undefined;
  readonly registryMaxAgeSeconds: number;
  readonly registryStaleWhileRevalidateSeconds: number;
  readonly registryStaleIfErrorSeconds: number;
  readonly configCacheSeconds: number;
  /** Empty: unsigned registries are accepted. Non-empty: only registries signed by one of these. */
  readonly trustedKeys: readonly TrustedRegistryKey[];
  readonly corsOrigins: '*' | readonly string[];
  readonly urlPolicy: UrlPolicy;
  /** How many UsageAggregator shards share the fleet's usage reports. */
  readonly usageShards: number;
  /**
   * ALERT_WEBHOOK_URL: off, a URL that passed `urlPolicy`, or refused (never fetched; reported in
   * /health's `automation` section, not in `problems`, since it does not change what is served).
   */
  readonly alertWebhook: AlertWebhookSetting;
  /** Vars that could not be read; the Worker falls back to safe behaviour for each. */
  readonly problems: readonly string[];
}

export const DEFAULT_SETTINGS = {
  registryMaxAgeSeconds: 60,
  registryStaleWhileRevalidateSeconds: 300,
  registryStaleIfErrorSeconds: 86_400,
  configCacheSeconds: 15,
} as const;

const MAX_SECONDS = 31_536_000;

function readSeconds(name: string, raw: string | undefined, fallback: number, problems: string[]): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\s*\d{1,8}\s*$/.test(raw) || Number(raw) > MAX_SECONDS) {
    problems.push(`${name} must be a whole number of seconds (0..${MAX_SECONDS}); using ${fallback}`);
    return fallback;
  }
  return Number(raw);
}

function readShards(raw: string | undefined, problems: string[]): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_USAGE_SHARDS;
  const shards = /^\s*\d{1,4}\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (shards >= 1 && shards <= MAX_USAGE_SHARDS) return shards;
  problems.push(
    `USAGE_SHARDS must be a whole number from 1 to ${MAX_USAGE_SHARDS}; using ${DEFAULT_USAGE_SHARDS}`,
  );
  return DEFAULT_USAGE_SHARDS;
}

/**
 * Reads REGISTRY_TRUSTED_KEYS (a JSON array of `{ kid, x }`, each read by marketplace-core's
 * `readTrustedKey`, as apps read theirs). An unreadable value is a problem *and* makes the mirror
 * refuse every registry (an impossible key), because silently accepting unsigned registries
 * would be worse.
 */
function readTrustedKeys(raw: string | undefined, problems: string[]): readonly TrustedRegistryKey[] {
  if (raw === undefined || raw.trim() === '') return [];
  let reason = 'it is not JSON';
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed) || parsed.length === 0) reason = 'it is not a non-empty array';
    else {
      const keys = parsed.map(readTrustedKey);
      const refused = keys.find((key) => !key.ok);
      if (refused === undefined) return keys.flatMap((key) => (key.ok ? [key.value] : []));
      reason = refused.ok ? reason : refused.error;
    }
  } catch {
    // reported below
  }
  problems.push(
    `REGISTRY_TRUSTED_KEYS must be a JSON array of {"kid","x"} (${reason}); the mirror refuses every registry`,
  );
  return [{ kid: '(unreadable REGISTRY_TRUSTED_KEYS)', x: '' }];
}

function readOrigins(raw: string | undefined): '*' | readonly string[] {
  const origins = (raw ?? '*')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  return origins.length === 0 || origins.includes('*') ? '*' : origins;
}

/**
 * Turns the Worker's string vars into settings. Pure: the same env always gives the same settings.
 * Any var may be missing (removed from wrangler.jsonc, or a secret not yet put): each has a default
 * or becomes a problem the routes report.
 *
 * @example
 * readWorkerSettings({ CONFIG_CACHE_SECONDS: '30', ...env }).configCacheSeconds; // 30
 */
export function readWorkerSettings(
  env: Partial<Omit<WorkerEnv, 'REGISTRY_KV' | 'USAGE_AGGREGATOR'>>,
): WorkerSettings {
  const problems: string[] = [];
  const urlPolicy: UrlPolicy = { allowLoopbackHttp: env.ALLOW_LOOPBACK_HTTP?.trim() === 'true' };
  let gitUrl: string | undefined;
  if (env.REGISTRY_GIT_URL === undefined || env.REGISTRY_GIT_URL.trim() === '') {
    problems.push('REGISTRY_GIT_URL is not set; the mirror cannot run');
  } else {
    const checked = checkUrl(env.REGISTRY_GIT_URL.trim(), urlPolicy);
    if (checked.ok) gitUrl = checked.value;
    else problems.push(`REGISTRY_GIT_URL ${checked.error}; the mirror cannot run`);
  }
  return {
    gitUrl,
    registryMaxAgeSeconds: readSeconds(
      'REGISTRY_MAX_AGE_SECONDS',
      env.REGISTRY_MAX_AGE_SECONDS,
      DEFAULT_SETTINGS.registryMaxAgeSeconds,
      problems,
    ),
    registryStaleWhileRevalidateSeconds: readSeconds(
      'REGISTRY_STALE_WHILE_REVALIDATE_SECONDS',
      env.REGISTRY_STALE_WHILE_REVALIDATE_SECONDS,
      DEFAULT_SETTINGS.registryStaleWhileRevalidateSeconds,
      problems,
    ),
    registryStaleIfErrorSeconds: readSeconds(
      'REGISTRY_STALE_IF_ERROR_SECONDS',
      env.REGISTRY_STALE_IF_ERROR_SECONDS,
      DEFAULT_SETTINGS.registryStaleIfErrorSeconds,
      problems,
    ),
    configCacheSeconds: readSeconds(
      'CONFIG_CACHE_SECONDS',
      env.CONFIG_CACHE_SECONDS,
      DEFAULT_SETTINGS.configCacheSeconds,
      problems,
    ),
    trustedKeys: readTrustedKeys(env.REGISTRY_TRUSTED_KEYS, problems),
    corsOrigins: readOrigins(env.CORS_ALLOWED_ORIGINS),
    urlPolicy,
    usageShards: readShards(env.USAGE_SHARDS, problems),
    alertWebhook: readAlertWebhookUrl(env.ALERT_WEBHOOK_URL, urlPolicy),
    problems,
  };
}
