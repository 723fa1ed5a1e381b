import { err, ok, type Result } from './result.ts';

/**
 * What an app accepts as a source URL. The control plane can redirect every install, so the app
 * itself decides which URLs it will ever fetch.
 */
export interface UrlPolicy {
  /** Allow `http:` for loopback hosts (localhost, 127.0.0.0/8, [::1]). Development only. Default false. */
  readonly allowLoopbackHttp?: boolean;
  /**
   * Hosts the app accepts, built into the app. A leading `*.` matches any subdomain
   * (`*.cartae.com` matches `cdn.cartae.com`, not `cartae.com`). Empty or absent: any host.
   */
  readonly allowedHosts?: readonly string[];
}

export const MAX_URL_LENGTH = 2048;

// Control characters and whitespace are never legitimate in a source URL; they are how
// header-injection and parser-confusion attacks start.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const FORBIDDEN_CHARACTERS = /[\u0000-\u0020\u007f-\u009f\\]/;

/** True for hosts that can only be this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '[::1]' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function hostAllowed(hostname: string, allowedHosts: readonly string[]): boolean {
  const host = hostname.toLowerCase();
  return allowedHosts.some((pattern) => {
    const p = pattern.toLowerCase();
    if (p.startsWith('*.')) return host.endsWith(p.slice(1)) && host.length > p.length - 1;
    return host === p;
  });
}

/**
 * Checks that `raw` is a URL this app may fetch: https (or http to loopback when allowed), no
 * credentials, no control characters, a host on the allowlist when there is one.
 * Returns the normalised URL string, or a sentence saying what is wrong.
 *
 * @example
 * checkUrl('https://marketplace.cartae.com', {}); // { ok: true, value: 'https://marketplace.cartae.com/' }
 * checkUrl('javascript:alert(1)', {});           // { ok: false, error: 'must use https, not "javascript:"' }
 */
export function checkUrl(raw: unknown, policy: UrlPolicy = {}): Result<string, string> {
  if (typeof raw !== 'string' || raw.length === 0) return err('must be a non-empty string');
  if (raw.length > MAX_URL_LENGTH) return err(`must be at most ${MAX_URL_LENGTH} characters`);
  if (FORBIDDEN_CHARACTERS.test(raw))
    return err('must not contain spaces, backslashes or control characters');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return err('is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return err(`must use https, not "${url.protocol}"`);
  }
  if (url.username !== '' || url.password !== '') return err('must not contain credentials');
  if (url.hostname === '') return err('must name a host');
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) return err('must use https (http is only accepted for localhost)');
    if (policy.allowLoopbackHttp !== true) return err('must use https (http to localhost is not enabled)');
  }
  if (
    policy.allowedHosts &&
    policy.allowedHosts.length > 0 &&
    !hostAllowed(url.hostname, policy.allowedHosts)
  ) {
    return err(`host "${url.hostname}" is not in this app's allowlist`);
  }
  return ok(url.toString());
}
