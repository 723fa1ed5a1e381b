import type { ResolverStats } from '@cartae/marketplace-resolver';
import { Fact } from './Fact.tsx';

/** The resolver's live counters (the user's `getStats()` fields). Not a live region: it ticks every second. */
export function StatsStrip(props: { stats: ResolverStats }) {
  const { stats } = props;
  return (
    <section aria-labelledby="cartae-web-stats-heading" className="cartae-web__panel">
      <h2 id="cartae-web-stats-heading" className="cartae-web__visually-hidden">
        Live statistics
      </h2>
      <dl className="cartae-web__stats">
        <Fact term="Total requests">{stats.totalRequests}</Fact>
        <Fact term="Git requests">{stats.gitRequests}</Fact>
        <Fact term="CDN requests">{stats.cloudflareRequests}</Fact>
        <Fact term="Fallbacks">{stats.fallbacks}</Fact>
        <Fact term="Errors">{stats.errors}</Fact>
        <Fact term="Average response time">
          {stats.totalRequests === 0 ? '—' : `${Math.round(stats.avgResponseTimeMs)} ms`}
        </Fact>
      </dl>
    </section>
  );
}
