import type { ResolverStats } from '@cartae/marketplace-resolver';
import { useEffect, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export const USAGE_SAMPLE_INTERVAL_MS = 5_000;
const MAX_SAMPLES = 120;

interface Sample {
  at: string;
  git: number;
  cloudflare: number;
  fallbacks: number;
  errors: number;
}

/**
 * Requests, Git vs CDN, fallbacks, errors and average response time of this browser's own
 * resolver (the fleet's figures are `FleetUsagePanel`), and a chart of them over time.
 */
export function UsageStatsPanel(props: {
  getStats: () => ResolverStats | undefined;
  sampleIntervalMs?: number;
}) {
  const { getStats } = props;
  const [stats, setStats] = useState<ResolverStats | undefined>(() => getStats());
  const [samples, setSamples] = useState<Sample[]>([]);

  useEffect(() => {
    const sample = () => {
      const s = getStats();
      setStats(s);
      if (!s) return;
      setSamples((list) =>
        [
          ...list,
          {
            at: new Date().toLocaleTimeString(),
            git: s.gitRequests,
            cloudflare: s.cloudflareRequests,
            fallbacks: s.fallbacks,
            errors: s.errors,
          },
        ].slice(-MAX_SAMPLES),
      );
    };
    sample();
    const timer = setInterval(sample, props.sampleIntervalMs ?? USAGE_SAMPLE_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [getStats, props.sampleIntervalMs]);

  if (!stats) {
    return (
      <section aria-labelledby="cartae-admin-usage-heading" className="cartae-admin__section">
        <h2 id="cartae-admin-usage-heading">This browser's resolver</h2>
        <p>No resolver is attached to this panel, so there is nothing to count yet.</p>
      </section>
    );
  }
  const figures: [string, string][] = [
    ['Total requests', String(stats.totalRequests)],
    ['Git requests', String(stats.gitRequests)],
    ['Cloudflare CDN requests', String(stats.cloudflareRequests)],
    ['Fallbacks', String(stats.fallbacks)],
    ['Errors', String(stats.errors)],
    ['Average response time', `${Math.round(stats.avgResponseTimeMs)} ms`],
  ];
  return (
    <section aria-labelledby="cartae-admin-usage-heading" className="cartae-admin__section">
      <h2 id="cartae-admin-usage-heading">This browser's resolver</h2>
      <p className="cartae-admin__hint">
        Counted by this page's own resolver since it started: one install, not the fleet.
      </p>
      <dl className="cartae-admin__facts">
        {figures.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <figure
        className="cartae-admin__chart"
        aria-label="Requests over time by source, with fallbacks and errors"
      >
        <ResponsiveContainer width="100%" height={240}>
          <LineChart data={samples}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="at" minTickGap={24} />
            <YAxis allowDecimals={false} />
            <Tooltip contentStyle={{ background: 'var(--bg)', borderColor: 'var(--line)' }} />
            <Legend />
            <Line
              type="monotone"
              dataKey="git"
              name="Git"
              stroke="#8250df"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="cloudflare"
              name="CDN"
              stroke="#f38020"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="fallbacks"
              name="Fallbacks"
              stroke="#0969da"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="errors"
              name="Errors"
              stroke="#cf222e"
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
        <figcaption>
          Cumulative requests, sampled every{' '}
          {Math.round((props.sampleIntervalMs ?? USAGE_SAMPLE_INTERVAL_MS) / 1000)} s
        </figcaption>
      </figure>
    </section>
  );
}
