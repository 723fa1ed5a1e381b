import { SOURCE_KIND_TABLE, SOURCE_KINDS } from '@cartae/marketplace-core';
import type { ResolverStats } from '@cartae/marketplace-resolver';
import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { USAGE_SAMPLE_INTERVAL_MS, type UsageSample } from '../model/usage-samples.ts';
import { useUsageSamples } from './use-usage-samples.ts';

export { USAGE_SAMPLE_INTERVAL_MS };

/**
 * Two stacked charts, so no series can hide another: requests by how they ended (their top is
 * the requests), and attempts per source (their top is every attempt). Each band has its own
 * outline dash as well as its colour.
 */
const CHARTS = [
  {
    title: 'Requests by outcome, over time',
    bands: [
      { key: 'answered', name: 'Answered by a source', color: '#1a7f37', dash: undefined },
      { key: 'stale', name: 'Served stale', color: '#9a6700', dash: '6 3' },
      { key: 'errors', name: 'Failed', color: '#cf222e', dash: '2 3' },
    ],
  },
  {
    title: 'Attempts per source, over time',
    bands: [
      { key: 'git', name: 'Git', color: '#8250df', dash: undefined },
      { key: 'cloudflare', name: 'Cloudflare CDN', color: '#f38020', dash: '6 3' },
    ],
  },
] as const;

const time = (at: number) =>
  new Date(at).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit', second: '2-digit' });

/**
 * This browser's own resolver (the fleet's figures are `FleetUsagePanel`): reads through the
 * resolver and how they ended, then the HTTP attempts per source, which are counted apart — a
 * fallback is two attempts for one read, and a health check is an attempt with no read. With
 * `samples` from a host that stays mounted, the chart keeps its series across tab switches.
 */
export function UsageStatsPanel(props: {
  getStats: () => ResolverStats | undefined;
  samples?: readonly UsageSample[];
  sampleIntervalMs?: number;
}) {
  const own = useUsageSamples(props.samples ? undefined : props.getStats, props.sampleIntervalMs);
  const stats = props.samples ? props.getStats() : own.stats;
  const samples = props.samples ?? own.samples;
  const rows = samples.map((x) => ({ ...x, answered: Math.max(0, x.requests - x.stale - x.errors) }));

  if (!stats) {
    return (
      <section aria-labelledby="cartae-admin-usage-heading" className="cartae-admin__section">
        <h2 id="cartae-admin-usage-heading">This browser's resolver</h2>
        <p>No resolver is attached to this panel, so there is nothing to count yet.</p>
      </section>
    );
  }
  const reads: [string, string][] = [
    ['Requests', String(stats.totalRequests)],
    ['Answered after a fallback', String(stats.fallbacks)],
    ['Served from the stale copy', String(stats.staleServed)],
    ['Failed (no source, no copy)', String(stats.errors)],
    ['Average response time', stats.totalRequests === 0 ? '—' : `${Math.round(stats.avgResponseTimeMs)} ms`],
  ];
  return (
    <section aria-labelledby="cartae-admin-usage-heading" className="cartae-admin__section">
      <h2 id="cartae-admin-usage-heading">This browser's resolver</h2>
      <p className="cartae-admin__hint">
        Counted by this page's own resolver since it started: one install, not the fleet.
      </p>
      <dl className="cartae-admin__facts" aria-label="Reads through the resolver">
        {reads.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h3 className="cartae-admin__subheading">Attempts per source</h3>
      <p className="cartae-admin__hint">
        One request can take several attempts (a fallback tries the next source), and every health check from
        Monitoring is an attempt with no request, so attempts do not add up to requests.
      </p>
      <dl className="cartae-admin__facts" aria-label="Attempts per source">
        {SOURCE_KINDS.map((kind) => {
          const s = stats.perSource[kind];
          return (
            <div key={kind}>
              <dt>{SOURCE_KIND_TABLE[kind].label} attempts</dt>
              <dd>{s.requests}</dd>
              <dd className="cartae-admin__hint">
                {s.errors} failed, {s.rateLimited} rate-limited
              </dd>
            </div>
          );
        })}
      </dl>
      <figure
        className="cartae-admin__chart"
        aria-label="Requests by outcome and attempts per source over time"
      >
        {CHARTS.map((chart) => (
          <div key={chart.title}>
            <h3>{chart.title}</h3>
            <ResponsiveContainer width="100%" height={200}>
              <AreaChart data={rows}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="at" tickFormatter={time} minTickGap={32} />
                <YAxis allowDecimals={false} />
                <Tooltip
                  labelFormatter={(at) => time(Number(at))}
                  contentStyle={{ background: 'var(--bg)', borderColor: 'var(--line)' }}
                />
                <Legend itemSorter={null} iconType="rect" />
                {chart.bands.map((b) => (
                  <Area
                    key={b.key}
                    type="monotone"
                    dataKey={b.key}
                    name={b.name}
                    stackId={chart.title}
                    stroke={b.color}
                    fill={b.color}
                    fillOpacity={0.35}
                    strokeWidth={2}
                    {...(b.dash ? { strokeDasharray: b.dash } : {})}
                    isAnimationActive={false}
                  />
                ))}
              </AreaChart>
            </ResponsiveContainer>
          </div>
        ))}
        <figcaption>
          Cumulative since this page loaded, sampled every{' '}
          {Math.round((props.sampleIntervalMs ?? USAGE_SAMPLE_INTERVAL_MS) / 1000)} s; kept while you switch
          tabs.
        </figcaption>
      </figure>
    </section>
  );
}
