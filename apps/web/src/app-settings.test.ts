import { describe, expect, it } from 'vitest';
import { hasControlPlane, readAppSettings } from './app-settings.ts';

describe('readAppSettings', () => {
  it('reads every variable', () => {
    const settings = readAppSettings({
      VITE_CONFIG_URL: ' https://marketplace.cartae.com/api/config ',
      VITE_SUPABASE_URL: 'https://x.supabase.co',
      VITE_SUPABASE_ANON_KEY: 'anon',
      VITE_DEFAULT_GIT_URL: 'https://example.com/registry.json',
      VITE_ALLOW_LOOPBACK_HTTP: '1',
      VITE_ALLOWED_HOSTS: 'marketplace.cartae.com, raw.githubusercontent.com,,',
    });
    expect(settings).toEqual({
      configUrl: 'https://marketplace.cartae.com/api/config',
      supabase: { url: 'https://x.supabase.co', anonKey: 'anon' },
      defaultGitUrl: 'https://example.com/registry.json',
      allowLoopbackHttp: true,
      allowedHosts: ['marketplace.cartae.com', 'raw.githubusercontent.com'],
      trustedKeys: [],
      trustedKeysProblem: undefined,
      warnings: [],
    });
    expect(hasControlPlane(settings)).toBe(true);
  });

  it('defaults to no control plane and https only', () => {
    const settings = readAppSettings({ VITE_ALLOW_LOOPBACK_HTTP: 'true', VITE_CONFIG_URL: '  ' });
    expect(settings).toMatchObject({
      configUrl: undefined,
      supabase: undefined,
      allowLoopbackHttp: false,
    });
    expect(hasControlPlane(settings)).toBe(false);
  });

  it('ignores half a Supabase setting, and says so', () => {
    const settings = readAppSettings({ VITE_SUPABASE_URL: 'https://x.supabase.co' });
    expect(settings.supabase).toBeUndefined();
    expect(settings.warnings[0]).toMatch(/must be set together/);
  });

  it('says that a periodic refresh setting left in a build is no longer read', () => {
    const settings = readAppSettings({ VITE_REGISTRY_REFRESH_MS: '5000' });
    expect(settings).not.toHaveProperty('refreshMs');
    expect(settings.warnings).toEqual([expect.stringMatching(/^VITE_REGISTRY_REFRESH_MS is no longer read/)]);
  });

  it('reads trusted registry keys, checking each', () => {
    const x = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo';
    const settings = readAppSettings({
      VITE_REGISTRY_TRUSTED_KEYS: JSON.stringify([{ kid: 'release-2026', x, kty: 'OKP', crv: 'Ed25519' }]),
    });
    expect(settings.trustedKeys).toEqual([{ kid: 'release-2026', x }]);
    expect(settings.trustedKeysProblem).toBeUndefined();
  });

  it.each([
    ['not JSON', '[{kid', 'is not JSON'],
    ['an empty list', '[]', 'is not a non-empty array'],
    ['a key without x', '[{"kid":"k"}]', 'x must be a 32-byte Ed25519 public key'],
    ['a bad kid', '[{"kid":"../k","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]', 'kid must be'],
  ])(
    'refuses trusted keys that are %s, saying how to fix them (never silently unchecked)',
    (_name, raw, why) => {
      const settings = readAppSettings({ VITE_REGISTRY_TRUSTED_KEYS: raw });
      expect(settings.trustedKeys).toEqual([]);
      expect(settings.trustedKeysProblem).toContain(why);
      expect(settings.trustedKeysProblem).toContain(
        'set it to a JSON array of {"kid","x"} public keys, or remove it',
      );
    },
  );
});
