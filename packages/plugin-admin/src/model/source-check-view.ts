import type { SourceCheck } from '@cartae/marketplace-resolver';
import type { IconName } from '../components/Icon.tsx';

/** What the Monitoring table says about one check, in words a person reads. */
export interface SourceCheckView {
  /** `healthy`, `unhealthy` (answered, but not with a registry `getRegistry()` would use), `rate-limited`, `paused` (ejected, not contacted), `not-configured`. */
  readonly state: 'healthy' | 'unhealthy' | 'rate-limited' | 'paused' | 'not-configured';
  /** The state in words, without a symbol: `healthy`, `paused until 1:04:00 PM`. */
  readonly status: string;
  /** The icon drawn beside `status` (its shape differs per state, so colour never carries it alone). */
  readonly icon: IconName;
  readonly error: string;
}

const time = (epochMs: number, locale?: string) => new Date(epochMs).toLocaleTimeString(locale);

/**
 * Words for a check. A source with no URL is "not configured"; one the resolver is keeping away
 * from (rate limit or ejection) says so and until when, in local time — never "not configured".
 *
 * @example
 * describeCheck({ ...check, skipped: true, rateLimited: true, retryAt }).status; // 'rate-limited until 1:04:00 PM'
 */
export function describeCheck(check: SourceCheck, locale?: string): SourceCheckView {
  if (check.url === undefined)
    return { state: 'not-configured', status: 'not configured', icon: 'none', error: '—' };
  const error = check.error ?? (check.status === undefined ? '—' : `HTTP ${check.status}`);
  if (check.rateLimited) {
    const until = check.retryAt ?? check.rateLimitResetAt;
    return {
      state: 'rate-limited',
      status: until === undefined ? 'rate-limited' : `rate-limited until ${time(until, locale)}`,
      icon: 'paused',
      error,
    };
  }
  if (check.skipped) {
    return {
      state: 'paused',
      status:
        check.retryAt === undefined ? 'paused after errors' : `paused until ${time(check.retryAt, locale)}`,
      icon: 'paused',
      error,
    };
  }
  if (check.ok) return { state: 'healthy', status: 'healthy', icon: 'ok', error: '—' };
  return { state: 'unhealthy', status: 'unhealthy', icon: 'error', error };
}
