import { describe, expect, it } from 'vitest';
import { normaliseSourceHost, sourceHostProblem } from './source-hosts.ts';

describe('normaliseSourceHost (the words of checked_source_host)', () => {
  it.each([
    [' CDN2.Cartae.com ', 'cdn2.cartae.com'],
    ['raw.githubusercontent.com', 'raw.githubusercontent.com'],
    ['xn--caf-dma.example', 'xn--caf-dma.example'],
    ['[::1]', '[::1]'],
    ['127.0.0.1', '127.0.0.1'],
  ])('accepts %j as %j', (input, host) => {
    expect(normaliseSourceHost(input)).toEqual({ ok: true, value: host });
  });

  it.each([
    ['', 'invalid source host: a host name is required'],
    [
      'https://cdn.example.com',
      'invalid source host: give the host name alone, without a scheme, port or path (e.g. cdn.example.com)',
    ],
    [
      'cdn.example.com:8443',
      'invalid source host: give the host name alone, without a scheme, port or path (e.g. cdn.example.com)',
    ],
    [
      '*.cartae.com',
      'invalid source host: "*.cartae.com" is not a host name (letters, digits, hyphens and dots; internationalised names in their xn-- form)',
    ],
    [
      'café.example',
      'invalid source host: "café.example" is not a host name (letters, digits, hyphens and dots; internationalised names in their xn-- form)',
    ],
    [
      '-bad.example',
      'invalid source host: "-bad.example" is not a host name (letters, digits, hyphens and dots; internationalised names in their xn-- form)',
    ],
  ])('refuses %j', (input, message) => {
    expect(normaliseSourceHost(input)).toEqual({ ok: false, error: message });
  });
});

describe('sourceHostProblem (the words of validate_source_hosts)', () => {
  const hosts = ['raw.githubusercontent.com', 'marketplace.cartae.com'];
  it('accepts a URL whose exact host is listed, whatever the case', () => {
    expect(sourceHostProblem('cloudflareUrl', 'https://Marketplace.Cartae.com/api', hosts)).toBeUndefined();
  });
  it.each([
    ['https://cdn.evil.example', 'cdn.evil.example'],
    ['https://marketpIace.cartae.com', 'marketpiace.cartae.com'],
    ['https://eu.marketplace.cartae.com', 'eu.marketplace.cartae.com'],
    ['https://marketplace.cartae.com./', 'marketplace.cartae.com.'],
  ])('refuses %s, naming %s', (url, host) => {
    expect(sourceHostProblem('cloudflareUrl', url, hosts)).toBe(
      `cloudflareUrl host "${host}" is not on the control plane's list of source hosts (an admin adds it first)`,
    );
  });
});
