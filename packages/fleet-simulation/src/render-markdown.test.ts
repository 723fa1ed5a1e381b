import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './render-markdown.ts';
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

  it('leaves out switch and episode rows when there are none', () => {
    const quiet = renderMarkdown(
      runSimulation({ installs: 50, hours: 3, switchAtHour: null, rateLimitEpisode: null }),
    );
    expect(quiet).not.toContain('Switch propagation');
    expect(quiet).not.toContain('during the episode');
  });
});
