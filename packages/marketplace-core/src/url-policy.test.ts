import { describe, expect, it } from 'vitest';
import { checkUrl, isLoopbackHost } from './url-policy.ts';

describe('checkUrl', () => {
  it.each([
    ['https://marketplace.cartae.com', {}, 'https://marketplace.cartae.com/'],
    [
      'https://raw.githubusercontent.com/c/m/main/registry.json',
      {},
      'https://raw.githubusercontent.com/c/m/main/registry.json',
    ],
    ['http://127.0.0.1:8787', { allowLoopbackHttp: true }, 'http://127.0.0.1:8787/'],
    [
      'http://localhost:4000/registry.json',
      { allowLoopbackHttp: true },
      'http://localhost:4000/registry.json',
    ],
    ['https://cdn.cartae.com/x', { allowedHosts: ['*.cartae.com'] }, 'https://cdn.cartae.com/x'],
  ])('accepts %s', (url, policy, expected) => {
    expect(checkUrl(url, policy)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['javascript:alert(1)', {}, 'must use https, not "javascript:"'],
    ['data:text/plain,hi', {}, 'must use https, not "data:"'],
    ['ftp://example.com/x', {}, 'must use https, not "ftp:"'],
    ['http://example.com/registry.json', {}, 'must use https (http is only accepted for localhost)'],
    [
      'http://example.com/registry.json',
      { allowLoopbackHttp: true },
      'must use https (http is only accepted for localhost)',
    ],
    ['http://127.0.0.1:8787', {}, 'must use https (http to localhost is not enabled)'],
    ['https://user:pw@example.com/', {}, 'must not contain credentials'],
    [
      'https://evil.example/x',
      { allowedHosts: ['marketplace.cartae.com'] },
      'host "evil.example" is not in this app\'s allowlist',
    ],
    [
      'https://cartae.com/x',
      { allowedHosts: ['*.cartae.com'] },
      'host "cartae.com" is not in this app\'s allowlist',
    ],
    [
      'https://cartae.com.evil.example/x',
      { allowedHosts: ['*.cartae.com'] },
      'host "cartae.com.evil.example" is not in this app\'s allowlist',
    ],
    ['https://exa mple.com', {}, 'must not contain spaces, backslashes or control characters'],
    ['https://example.com/\nSet-Cookie:x', {}, 'must not contain spaces, backslashes or control characters'],
    ['https:\\\\evil.example', {}, 'must not contain spaces, backslashes or control characters'],
    ['/relative/registry.json', {}, 'is not an absolute URL'],
    ['', {}, 'must be a non-empty string'],
    [`https://example.com/${'a'.repeat(2100)}`, {}, 'must be at most 2048 characters'],
  ])('rejects %s', (url, policy, message) => {
    expect(checkUrl(url, policy)).toEqual({ ok: false, error: message });
  });

  it('rejects values that are not strings', () => {
    expect(checkUrl(42).ok).toBe(false);
    expect(checkUrl(null).ok).toBe(false);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['app.localhost', true],
    ['127.0.0.1', true],
    ['127.10.0.3', true],
    ['[::1]', true],
    ['localhost.evil.example', false],
    ['128.0.0.1', false],
    ['10.0.0.1', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
