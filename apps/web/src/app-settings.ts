import { readTrustedKey, type TrustedRegistryKey } from '@cartae/marketplace-core';

/** How this app reaches the marketplace, read from the build-time environment. */
export interface AppSettings {
  /** The Worker's `/api/config`, tried first. */
  readonly configUrl: string | undefined;
  /** The control plane, as a fallback config provider (both or neither). */
  readonly supabase: { readonly url: string; readonly anonKey: string } | undefined;
  /** The built-in Git registry, used until a config is obtained. */
  readonly defaultGitUrl: string | undefined;
  readonly allowLoopbackHttp: boolean;
  /** Hosts this app will ever fetch from; empty: any https host. */
  readonly allowedHosts: readonly string[];
  /**
   * Registry signing keys this app trusts (VITE_REGISTRY_TRUSTED_KEYS): with keys, only registries
   * signed by one of them are shown. Empty: signatures are not checked.
   */
  readonly trustedKeys: readonly TrustedRegistryKey[];
  /** Why VITE_REGISTRY_TRUSTED_KEYS cannot be used; the app refuses to start rather than skip the check. */
  readonly trustedKeysProblem: string | undefined;
  /** Settings that were ignored, and why. */
  readonly warnings: readonly string[];
}

type Env = Readonly<Record<string, string | boolean | undefined>>;

function text(env: Env, key: string): string | undefined {
  const value = env[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Reads VITE_REGISTRY_TRUSTED_KEYS: a JSON array of `{ kid, x }` (what `cartae-marketplace registry
 * keygen` writes as `<kid>.public.json`), each checked by marketplace-core's `readTrustedKey`.
 */
function readTrustedKeys(raw: string | undefined): { keys: TrustedRegistryKey[]; problem?: string } {
  if (raw === undefined) return { keys: [] };
  const problem = (why: string) => ({
    keys: [],
    problem: `VITE_REGISTRY_TRUSTED_KEYS ${why}; set it to a JSON array of {"kid","x"} public keys, or remove it`,
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return problem('is not JSON');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return problem('is not a non-empty array');
  const keys: TrustedRegistryKey[] = [];
  for (const value of parsed) {
    const read = readTrustedKey(value);
    if (!read.ok) return problem(`has an unusable key (${read.error})`);
    keys.push(read.value);
  }
  return { keys };
}

/**
 * Reads the `VITE_*` variables. Pure, so it is tested without Vite.
 *
 * @example
 * readAppSettings(import.meta.env); // { configUrl: 'https://marketplace.cartae.com/api/config', ... }
 */
export function readAppSettings(env: Env): AppSettings {
  const warnings: string[] = [];
  const supabaseUrl = text(env, 'VITE_SUPABASE_URL');
  const anonKey = text(env, 'VITE_SUPABASE_ANON_KEY');
  if ((supabaseUrl === undefined) !== (anonKey === undefined)) {
    warnings.push('VITE_SUPABASE_URL and VITE_SUPABASE_ANON_KEY must be set together; Supabase is not used');
  }
  if (text(env, 'VITE_REGISTRY_REFRESH_MS') !== undefined) {
    warnings.push(
      'VITE_REGISTRY_REFRESH_MS is no longer read: the page reads the registry when it opens, when the config ' +
        'changes, when shown again after the config TTL and on Refresh; remove it',
    );
  }

  const trusted = readTrustedKeys(text(env, 'VITE_REGISTRY_TRUSTED_KEYS'));
  return {
    configUrl: text(env, 'VITE_CONFIG_URL'),
    supabase: supabaseUrl && anonKey ? { url: supabaseUrl, anonKey } : undefined,
    defaultGitUrl: text(env, 'VITE_DEFAULT_GIT_URL'),
    allowLoopbackHttp: text(env, 'VITE_ALLOW_LOOPBACK_HTTP') === '1',
    allowedHosts: (text(env, 'VITE_ALLOWED_HOSTS') ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter((h) => h !== ''),
    trustedKeys: trusted.keys,
    trustedKeysProblem: trusted.problem,
    warnings,
  };
}

/** True when the app can ask a control plane at all (otherwise it runs on its built-in default). */
export function hasControlPlane(settings: AppSettings): boolean {
  return settings.configUrl !== undefined || settings.supabase !== undefined;
}
