import { SOURCE_KIND_TABLE, type SourceKind } from '@cartae/marketplace-core';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { type MinuteCounts, type MinuteRow, minuteRows } from '../model/fleet-minutes.ts';
import type { FleetUsage } from '../model/fleet-usage.ts';

/** One colour per source, the same in every chart of the panel; a new kind must pick one. */
const SOURCE_COLOURS: Record<SourceKind, string> = { git: '#8250df', cloudflare: '#f38020' };

/** recharts' tooltip is white by default; the panel's colours follow light and dark mode. */
export const TOOLTIP_STYLE = { background: 'var(--bg)', borderColor: 'var(--line)' };

const clock = (at: number) => new Date(at).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });

interface Series {
  readonly key: string;
  readonly name: string;
  readonly colour: string;
  readonly dashed?: boolean;
  readonly value: (row: MinuteRow) => number;
}

const series = (kind: SourceKind, metric: keyof MinuteCounts, name: string, dashed = false): Series => ({
  key: `${kind}-${metric}`,
  name,
  colour: SOURCE_COLOURS[kind],
  dashed,
  value: (row) => row.sources[kind]?.[metric] ?? 0,
});

/** One small line chart over the window's minutes (recharts; this module is loaded lazily). */
function MinuteChart(props: { title: string; rows: MinuteRow[]; lines: Series[] }) {
  // Legend and tooltip in the lines' order (recharts sorts them by name otherwise).
  const order = (item: { value?: unknown; name?: unknown }) =>
    props.lines.findIndex((l) => l.name === String(item.value ?? item.name));
  return (
    <div className="cartae-admin__chart-part">
      <h3>{props.title}</h3>
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={props.rows} margin={{ top: 8, right: 28, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="at"
            type="number"
            scale="time"
            domain={['dataMin', 'dataMax']}
            tickFormatter={clock}
            minTickGap={32}
          />
          <YAxis allowDecimals={false} width={48} />
          <Tooltip
            labelFormatter={(at) => clock(Number(at))}
            contentStyle={TOOLTIP_STYLE}
            itemSorter={order}
          />
          <Legend itemSorter={order} />
          {props.lines.map((l) => (
            <Line
              key={l.key}
              type="linear"
              dataKey={l.value}
              name={l.name}
              stroke={l.colour}
              strokeWidth={2}
              legendType="plainline"
              {...(l.dashed ? { strokeDasharray: '5 4' } : {})}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/**
 * Requests per minute per source, and errors and 429s per minute per source (apart: a handful of
 * errors would vanish on the scale of thousands of requests). Complete minutes only.
 */
export function FleetUsageChart(props: { usage: FleetUsage }) {
  const { kinds, rows } = minuteRows(props.usage);
  const label = (k: SourceKind) => SOURCE_KIND_TABLE[k].shortLabel;
  return (
    <figure
      className="cartae-admin__chart"
      aria-label="Fleet requests, errors and 429s per minute, by source"
    >
      <MinuteChart
        title="Requests per minute"
        rows={rows}
        lines={kinds.map((k) => series(k, 'requests', label(k)))}
      />
      <MinuteChart
        title="Errors and 429s per minute"
        rows={rows}
        lines={kinds.flatMap((k) => [
          series(k, 'errors', `${label(k)} errors`),
          series(k, 'rateLimited', `${label(k)} 429s`, true),
        ])}
      />
      <figcaption>Summed over every install that reported, per complete minute, in local time</figcaption>
    </figure>
  );
}
