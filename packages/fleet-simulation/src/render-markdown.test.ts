import { describe, expect, it } from 'vitest';
import { renderHighlights, renderMarkdown } from './render-markdown.ts';
import { runSimulation } from './run-simulation.ts';

describe('renderMarkdown', () => {
  const report = runSimulation({ installs: 300, hours: 24, seed: 4 });
  const markdown = renderMarkdown(report);
  const tables = markdown.split('\n\n').filter((block) => block.startsWith('|'));

  it('has the side-by-side table with one column per strategy, and the hourly table', () => {
    expect(tables).toHaveLength(2);
    const [summary, hourly] = tables as [string, string];
    const header = summary.split('\n')[0] ?? '';
    for (const s of report.strategies) expect(header).toContain(s.label);
    for (const line of summary.split('\n')) {
      expect(line.split(' | ')).toHaveLength(report.strategies.length + 1);
    }
    expect(hourly.trim().split('\n')).toHaveLength(2 + 24);
  });

  it('names the figures the brief asks for', () => {
    for (const text of [
      'Switch propagation to open apps, p50 / p99',
      'Control-plane (Supabase) requests/hour',
      'Git requests/hour',
      'Git requests rate-limited (429)',
      'p99 ≤ 30 s?',
    ]) {
      expect(markdown).toContain(text);
    }
    expect(markdown).not.toMatch(/NaN|undefined/);
  });

  it('has telemetry and automatic-switch rows, "—" for the strategies without them', () => {
    for (const text of [
      'Telemetry: extra Worker requests',
      'Durable Object storage rows written/hour',
      'control-plane writes (ingest_usage_aggregates calls)/hour',
      'Automatic switch: rule',
      'Git requests rate-limited (429) during the episode',
    ]) {
      expect(markdown).toContain(text);
    }
    const row = markdown.split('\n').find((line) => line.startsWith('| Automatic switch: rule'));
    // The user's design first: no automation there.
    expect(row?.split(' | ')[1]).toBe('—');
    expect(renderHighlights(report).some((line) => line.startsWith('Telemetry:'))).toBe(true);
  });

  it('leaves out switch and episode rows when there are none', () => {
    const quiet = renderMarkdown(
      runSimulation({ installs: 50, hours: 3, switchAtHour: null, rateLimitEpisode: null }),
    );
    expect(quiet).not.toContain('Switch propagation');
    expect(quiet).not.toContain('during the episode');
    const noTelemetry = runSimulation({
      installs: 50,
      hours: 3,
      switchAtHour: 1,
      rateLimitEpisode: null,
      strategies: [{ kind: 'user-design' }],
    });
    expect(renderMarkdown(noTelemetry)).not.toContain('Telemetry:');
    expect(renderHighlights(noTelemetry)).toEqual([]);
  });
});
