/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_CONFIG_URL?: string;
  readonly VITE_SUPABASE_URL?: string;
  readonly VITE_SUPABASE_ANON_KEY?: string;
  readonly VITE_DEFAULT_GIT_URL?: string;
  readonly VITE_ALLOW_LOOPBACK_HTTP?: string;
  readonly VITE_ALLOWED_HOSTS?: string;
  /** JSON array of trusted registry signing keys, `[{"kid":"…","x":"…"}]`. */
  readonly VITE_REGISTRY_TRUSTED_KEYS?: string;
}
