import { describe, expect, it } from 'vitest';
import { isConfigOutcome } from '../src/config/config-outcome.ts';
import { configResponse } from '../src/config/config-response.ts';
import { bearerTokenMatches } from '../src/http/bearer-token.ts';
import { cacheControl } from '../src/http/cache-control.ts';
import { ifNoneMatchMatches, strongEntityTag } from '../src/http/entity-tag.ts';
import { nextMirrorStatus } from '../src/registry/mirror-status.ts';
import type { RegistrySnapshot } from '../src/registry/registry-snapshot.ts';
import { registrySignatureHealth } from '../src/registry/signature-health.ts';
import { readWorkerSettings } from '../src/worker-settings.ts';

describe('entity tags', () => {
  it('are strong, stable and differ with the bytes', async () => {
    const a = await strongEntityTag(new TextEncoder().encode('{"a":1}'), 'r1-');
    expect(a).toMatch(/^"r1-[0-9a-f]{32}"$/);
    expect(await strongEntityTag(new TextEncoder().encode('{"a":1}'), 'r1-')).toBe(a);
    expect(await strongEntityTag(new TextEncoder().encode('{"a":2}'), 'r1-')).not.toBe(a);
  });

  it.each([
    ['"x"', '"x"', true],
    ['W/"x"', '"x"', true],
    ['"y", W/"x"', '"x"', true],
    ['*', '"x"', true],
    ['"y"', '"x"', false],
    ['x', '"x"', false],
    ['', '"x"', false],
    [null, '"x"', false],
  ])('If-None-Match %j against %s → %s', (header, etag, expected) => {
    expect(ifNoneMatchMatches(header, etag)).toBe(expected);
  });
});

describe('bearer tokens', () => {
  it.each([
    ['Bearer s3cret', 's3cret', true],
    ['bearer s3cret', 's3cret', true],
    ['Bearer s3cret ', 's3cret', true],
    ['Bearer s3cre', 's3cret', false],
    ['Bearer s3cretX', 's3cret', false],
    ['s3cret', 's3cret', false],
    ['Bearer', 's3cret', false],
    [null, 's3cret', false],
    ['Bearer ', '', false],
    ['Bearer x', undefined, false],
  ])('%j against %j → %s', async (header, expected, result) => {
    expect(await bearerTokenMatches(header, expected)).toBe(result);
  });
});

describe('Cache-Control', () => {
  it('names only the directives that are set', () => {
    expect(cacheControl({ maxAgeSeconds: 15 })).toBe('public, max-age=15');
    expect(
      cacheControl({ maxAgeSeconds: 60, staleWhileRevalidateSeconds: 300, staleIfErrorSeconds: 86_400 }),
    ).toBe('public, max-age=60, stale-while-revalidate=300, stale-if-error=86400');
  });
});

describe('settings', () => {
  it('fill defaults and report unreadable vars instead of throwing', () => {
    const defaults = readWorkerSettings({ REGISTRY_GIT_URL: 'https://raw.example/registry.json' });
    expect(defaults).toMatchObject({
      gitUrl: 'https://raw.example/registry.json',
      registryMaxAgeSeconds: 60,
      configCacheSeconds: 15,
      trustedKeys: [],
      corsOrigins: '*',
      problems: [],
    });
    const odd = readWorkerSettings({
      REGISTRY_GIT_URL: 'http://raw.example/registry.json',
      CONFIG_CACHE_SECONDS: '-1',
      REGISTRY_TRUSTED_KEYS: '[{"kid":"k"}]',
      CORS_ALLOWED_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(odd.gitUrl).toBeUndefined();
    expect(odd.configCacheSeconds).toBe(15);
    expect(odd.trustedKeys).toHaveLength(1);
    expect(odd.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(odd.problems).toHaveLength(3);
  });

  it('accept http to localhost only when ALLOW_LOOPBACK_HTTP is true', () => {
    const url = 'http://127.0.0.1:9999/registry.json';
    expect(readWorkerSettings({ REGISTRY_GIT_URL: url }).gitUrl).toBeUndefined();
    expect(readWorkerSettings({ REGISTRY_GIT_URL: url, ALLOW_LOOPBACK_HTTP: 'true' }).gitUrl).toBe(url);
  });
});

describe('mirror status', () => {
  it('counts consecutive failures and remembers the last success', () => {
    const ok = nextMirrorStatus(undefined, { result: 'updated', message: 'stored', at: 1000, version: 2 });
    expect(ok).toMatchObject({ lastSuccessAt: 1000, consecutiveFailures: 0, version: 2 });
    const failed = nextMirrorStatus(ok, { result: 'failed', message: 'HTTP 500', at: 2000 });
    const limited = nextMirrorStatus(failed, {
      result: 'rate-limited',
      message: '429',
      at: 3000,
      retryAt: 9000,
    });
    expect(limited).toMatchObject({ lastSuccessAt: 1000, consecutiveFailures: 2, retryAt: 9000, version: 2 });
    const back = nextMirrorStatus(limited, { result: 'not-modified', message: '304', at: 4000 });
    expect(back).toMatchObject({ lastSuccessAt: 4000, consecutiveFailures: 0, version: 2 });
    expect(back.retryAt).toBeUndefined();
  });
});

describe('config outcomes', () => {
  const answer = { body: '{"config":{"type":"git"}}', etag: '"c3-ab"', version: 3, fetchedAt: 1_000 };

  it.each([
    [{ kind: 'fresh', answer }, true],
    [{ kind: 'stale', answer, reason: 'HTTP 503' }, true],
    [{ kind: 'unavailable', reason: 'HTTP 503' }, true],
    [{ kind: 'stale', answer }, false],
    [{ kind: 'fresh', answer: { ...answer, body: 7 } }, false],
    [{ kind: 'fresh', answer: { ...answer, version: '3' } }, false],
    [{ kind: 'later', reason: 'x' }, false],
    ['fresh', false],
    [null, false],
  ])('read back from the edge cache: %j → %s', (value, expected) => {
    expect(isConfigOutcome(value)).toBe(expected);
  });

  it.each([
    ['fresh', 200, 'public, max-age=15', null, null],
    ['stale', 200, 'no-cache', '1', '60'],
    ['unavailable', 503, 'no-store', null, null],
  ] as const)('render %s as %i, %s, stale %s, age %s', (kind, status, cache, stale, age) => {
    const outcome =
      kind === 'unavailable' ? { kind, reason: 'HTTP 503' } : { kind, answer, reason: 'HTTP 503' };
    const response = configResponse(new Request('https://w.test/api/config'), outcome, 15, 61_999);
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe(cache);
    expect(response.headers.get('x-config-stale')).toBe(stale);
    expect(response.headers.get('age')).toBe(age);
  });
});

describe('registry signature health', () => {
  const x = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo';
  const header = (kid: string) =>
    btoa(JSON.stringify({ alg: 'EdDSA', kid, typ: 'cartae-registry-signature' }));
  const signature = JSON.stringify({
    signatures: ['k1', 'k2'].map((kid) => ({
      protected: header(kid).replace(/=+$/, ''),
      signature: 'A'.repeat(86),
    })),
  });
  const snapshot = (fields: Partial<RegistrySnapshot> & { signedBy?: string }): RegistrySnapshot => ({
    bytes: new ArrayBuffer(2),
    ...(fields.signature === undefined ? {} : { signature: fields.signature }),
    meta: {
      version: 3,
      etag: '"r3-x"',
      storedAt: 0,
      size: 2,
      ...(fields.signature === undefined
        ? {}
        : { signatureSize: fields.signature.length, signatureEtag: '"s3-y"' }),
      ...(fields.signedBy === undefined ? {} : { signedBy: fields.signedBy }),
    },
  });
  const keyed = readWorkerSettings({ REGISTRY_TRUSTED_KEYS: JSON.stringify([{ kid: 'k2', x }]) });
  const keyless = readWorkerSettings({});

  it.each([
    ['unsigned', snapshot({}), keyless, { signed: false, signedBy: null, signature: null }],
    [
      'signed, not checked',
      snapshot({ signature }),
      keyless,
      { signed: true, signedBy: null, signature: { kids: ['k1', 'k2'], etag: '"s3-y"' } },
    ],
    [
      'verified by a trusted key',
      snapshot({ signature, signedBy: 'k2' }),
      keyed,
      { signed: true, signedBy: 'k2', signature: { kids: ['k1', 'k2'] } },
    ],
    [
      'verified by a key no longer trusted',
      snapshot({ signature, signedBy: 'k1' }),
      keyed,
      { signed: true, signedBy: null },
    ],
  ])('%s', (_name, stored, settings, health) => {
    expect(registrySignatureHealth(stored, settings)).toMatchObject(health);
  });

  it('settings read trusted keys as apps do, and say which key is unusable', () => {
    expect(keyed.trustedKeys).toEqual([{ kid: 'k2', x }]);
    const short = readWorkerSettings({ REGISTRY_TRUSTED_KEYS: '[{"kid":"k","x":"abc"}]' });
    expect(short.problems.join('\n')).toContain(
      'key "k": x must be a 32-byte Ed25519 public key in base64url',
    );
    expect(short.trustedKeys).toHaveLength(1);
  });
});
