import { describe, expect, it } from 'vitest';
import { sourceSelectionCases } from '../../../tests/fixtures/source-selection-cases.ts';
import { readMarketplaceConfig } from './read-config.ts';
import { selectSources } from './select-sources.ts';

describe('selectSources — shared table (tests/fixtures/source-selection-cases.json)', () => {
  it.each(sourceSelectionCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const read = readMarketplaceConfig(c.config);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const selection = selectSources({
      config: read.value.config,
      health: c.health,
      bucket: c.bucket,
      now: c.now,
    });
    expect({ order: selection.order, panic: selection.panic }).toEqual(c.expected);
  });

  it('never returns an empty order', () => {
    for (const c of sourceSelectionCases) {
      const read = readMarketplaceConfig(c.config);
      if (!read.ok) continue;
      const far = { ejectedUntil: Number.MAX_SAFE_INTEGER };
      const s = selectSources({
        config: read.value.config,
        health: { git: far, cloudflare: far },
        bucket: c.bucket,
        now: c.now,
      });
      expect(s.order.length).toBeGreaterThan(0);
      expect(s.panic).toBe(true);
    }
  });
});
