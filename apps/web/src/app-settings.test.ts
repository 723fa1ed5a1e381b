import { describe, expect, it } from 'vitest';
import { DEFAULT_REFRESH_MS, hasControlPlane, readAppSettings } from './app-settings.ts';

describe('readAppSettings', () => {
  it('reads every variable', () => {
    const settings = readAppSettings({
      VITE_CONFIG_URL: ' https://marketplace.cartae.com/api/config ',
      VITE_SUPABASE_URL: 'https://x.supabase.co',
      VITE_SUPABASE_ANON_KEY: 'anon',
      VITE_DEFAULT_GIT_URL: 'https://example.com/registry.json',
      VITE_ALLOW_LOOPBACK_HTTP: '1',
      VITE_ALLOWED_HOSTS: 'marketplace.cartae.com, raw.githubusercontent.com,,',
      VITE_REGISTRY_REFRESH_MS: '2000',
    });
    expect(settings).toEqual({
      configUrl: 'https://marketplace.cartae.com/api/config',
      supabase: { url: 'https://x.supabase.co', anonKey: 'anon' },
      defaultGitUrl: 'https://example.com/registry.json',
      allowLoopbackHttp: true,
      allowedHosts: ['marketplace.cartae.com', 'raw.githubusercontent.com'],
      refreshMs: 2000,
      warnings: [],
    });
    expect(hasControlPlane(settings)).toBe(true);
  });

  it('defaults to no control plane, https only and a 5 s refresh', () => {
    const settings = readAppSettings({ VITE_ALLOW_LOOPBACK_HTTP: 'true', VITE_CONFIG_URL: '  ' });
    expect(settings).toMatchObject({
      configUrl: undefined,
      supabase: undefined,
      allowLoopbackHttp: false,
      refreshMs: DEFAULT_REFRESH_MS,
    });
    expect(hasControlPlane(settings)).toBe(false);
  });

  it('ignores half a Supabase setting, and says so', () => {
    const settings = readAppSettings({ VITE_SUPABASE_URL: 'https://x.supabase.co' });
    expect(settings.supabase).toBeUndefined();
    expect(settings.warnings[0]).toMatch(/must be set together/);
  });

  it.each([
    ['0', 0],
    ['100', 100],
    ['50', DEFAULT_REFRESH_MS],
    ['soon', DEFAULT_REFRESH_MS],
    ['1.5', DEFAULT_REFRESH_MS],
  ])('VITE_REGISTRY_REFRESH_MS=%s → %i', (raw, expected) => {
    expect(readAppSettings({ VITE_REGISTRY_REFRESH_MS: raw }).refreshMs).toBe(expected);
  });
});
