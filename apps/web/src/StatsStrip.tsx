import type { ResolverStats } from '@cartae/marketplace-resolver';
import type { ReactNode } from 'react';
import { Fact } from './Fact.tsx';

/**
 * The resolver's live counters. Requests (reads through the resolver) and how they ended — a
 * fallback, the stale copy when every source failed, or nothing at all — come first; the HTTP
 * attempts per source after them, said to be attempts: a fallback is two attempts for one
 * request and a health check is an attempt with no request, so they need not add up. Not a live
 * region: it ticks every second.
 */
export function StatsStrip(props: { stats: ResolverStats; children?: ReactNode }) {
  const { stats } = props;
  return (
    <section aria-labelledby="cartae-web-stats-heading" className="cartae-web__panel">
      <h2 id="cartae-web-stats-heading" className="cartae-web__visually-hidden">
        Live statistics
      </h2>
      <dl className="cartae-web__stats">
        <Fact term="Total requests">{stats.totalRequests}</Fact>
        <Fact term="Fallbacks">{stats.fallbacks}</Fact>
        <Fact term="Served stale">{stats.staleServed}</Fact>
        <Fact term="Errors">{stats.errors}</Fact>
        <Fact term="Git attempts">{stats.perSource.git.requests}</Fact>
        <Fact term="CDN attempts">{stats.perSource.cloudflare.requests}</Fact>
        <Fact term="Average response time">
          {stats.totalRequests === 0 ? '—' : `${Math.round(stats.avgResponseTimeMs)} ms`}
        </Fact>
        {props.children}
      </dl>
      <p className="cartae-web__hint">
        Served stale: every source failed and the last good copy answered. Errors: nothing could answer.
        Attempts count each source contacted, fallbacks and health checks included, so they need not add up to
        the requests.
      </p>
    </section>
  );
}
