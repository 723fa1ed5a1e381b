import { err, ok, type Result } from './result.ts';

const HOST_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const IPV6_LITERAL = /^\[[0-9a-f:.]+\]$/;

/** The config fields whose URLs must name a host on the control plane's list. */
export const SOURCE_URL_FIELDS = ['gitUrl', 'cloudflareUrl'] as const;

/**
 * A host as an admin typed it, trimmed and lower-cased, or what is wrong with it — the words of
 * the database's `checked_source_host` (migration 20261201190000). Exact names only: no wildcard,
 * scheme, port or path; internationalised names in their `xn--` form. Pure.
 *
 * @example
 * normaliseSourceHost(' CDN.Example.com '); // { ok: true, value: 'cdn.example.com' }
 * normaliseSourceHost('*.example.com').ok;  // false
 */
export function normaliseSourceHost(input: string): Result<string, string> {
  const host = input.trim().toLowerCase();
  if (host === '') return err('invalid source host: a host name is required');
  if (/[/:@?#]/.test(host) && !IPV6_LITERAL.test(host)) {
    return err(
      'invalid source host: give the host name alone, without a scheme, port or path (e.g. cdn.example.com)',
    );
  }
  if (host.length > 253 || !(HOST_NAME.test(host) || IPV6_LITERAL.test(host))) {
    return err(
      `invalid source host: "${host.slice(0, 253)}" is not a host name (letters, digits, hyphens and dots; internationalised names in their xn-- form)`,
    );
  }
  return ok(host);
}

/**
 * Why a config's source URL would be refused by the control plane's list of source hosts, or
 * `undefined` when its host is on `hosts` — the words of `validate_source_hosts`. Call it after
 * the URL itself passed `checkUrl`. Pure.
 *
 * @example
 * sourceHostProblem('cloudflareUrl', 'https://cdn.evil.example', ['marketplace.cartae.com']);
 * // 'cloudflareUrl host "cdn.evil.example" is not on the control plane\'s list of source hosts (an admin adds it first)'
 */
export function sourceHostProblem(
  field: (typeof SOURCE_URL_FIELDS)[number],
  url: string,
  hosts: readonly string[],
): string | undefined {
  let host = '';
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    host = '';
  }
  if (host !== '' && hosts.includes(host)) return undefined;
  return `${field} host "${host}" is not on the control plane's list of source hosts (an admin adds it first)`;
}
