import type { MarketplaceSourceResolver, ResolverStats } from '@cartae/marketplace-resolver';
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useLiveStats } from './use-live-stats.ts';

// The live stats strip ticks every second; an idle page must not re-render for readings that say
// nothing new (at 6,858 plugins each re-render cost a visible share of a core).
/** A reading of the counters, a new object at every call like the resolver's; the hook only compares them. */
const counters = (totalRequests: number) =>
  ({ totalRequests, perSource: { git: { requests: totalRequests } } }) as unknown as ResolverStats;

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('useLiveStats', () => {
  it('re-renders only when a reading says something new', () => {
    let total = 1;
    // Like the resolver's getStats(): a new object at every call.
    const resolver = { getStats: () => counters(total) } as unknown as MarketplaceSourceResolver;
    let renders = 0;
    const { result } = renderHook(() => {
      renders += 1;
      return useLiveStats(resolver);
    });
    const first = result.current;
    const rendersAtStart = renders;

    act(() => vi.advanceTimersByTime(10_000));
    expect(renders, '10 idle seconds').toBe(rendersAtStart);
    expect(result.current).toBe(first);

    total = 2;
    act(() => vi.advanceTimersByTime(1_000));
    expect(result.current.totalRequests).toBe(2);
    expect(renders).toBe(rendersAtStart + 1);
  });
});
