import { describe, expect, it } from 'vitest';
import {
  ALERT_EVENTS,
  alertDetailRows,
  alertEventView,
  mergeNewest,
  parseFleetAlerts,
} from './fleet-alerts.ts';

const alert = (id: number) => ({
  id,
  at: `2026-12-01T10:0${id % 10}:00Z`,
  event: 'auto-switch',
  text: `#${id}`,
  details: {},
});

describe('alertEventView', () => {
  it('names every event the database accepts in words, with a symbol that is not an emoji', () => {
    expect(Object.keys(ALERT_EVENTS)).toEqual([
      'auto-switch',
      'auto-rollback',
      'canary-promoted',
      'mirror-failing',
      'mirror-recovered',
      'source-unhealthy',
      'source-recovered',
      'settings-changed',
    ]);
    for (const view of Object.values(ALERT_EVENTS)) {
      expect(view.label).toMatch(/^[A-Z][a-z ]+$/);
      expect(view.symbol).not.toMatch(/\p{Extended_Pictographic}/u);
    }
    expect(alertEventView('source-unhealthy')).toEqual({
      label: 'Source unhealthy',
      symbol: '✕',
      tone: 'problem',
    });
    expect(alertEventView('quota-low')).toEqual({ label: 'quota-low', symbol: '•', tone: 'action' });
    expect(alertEventView('toString').label).toBe('toString');
  });
});

describe('parseFleetAlerts', () => {
  it('reads rows defensively: drops rows without an id or a time, fills missing text and details', () => {
    expect(
      parseFleetAlerts([
        {
          id: '7',
          at: '2026-12-01T10:00:00Z',
          event: 'auto-switch',
          text: 'switched',
          details: { to: 'cloudflare' },
        },
        { id: 6, at: '2026-12-01T09:00:00Z', details: [1] },
        { id: 'x', at: '2026-12-01T09:00:00Z' },
        { id: 5 },
        null,
      ]),
    ).toEqual([
      {
        id: 7,
        at: '2026-12-01T10:00:00Z',
        event: 'auto-switch',
        text: 'switched',
        details: { to: 'cloudflare' },
      },
      { id: 6, at: '2026-12-01T09:00:00Z', event: '', text: '', details: {} },
    ]);
    expect(parseFleetAlerts({ id: 1 })).toEqual([]);
  });
});

describe('mergeNewest', () => {
  it('puts a refreshed newest page before the older entries already loaded, without duplicates', () => {
    const loaded = [5, 4, 3, 2, 1].map(alert);
    expect(mergeNewest([7, 6, 5].map(alert), loaded).map((a) => a.id)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(mergeNewest([], loaded).map((a) => a.id)).toEqual([5, 4, 3, 2, 1]);
    expect(mergeNewest([2, 1].map(alert), []).map((a) => a.id)).toEqual([2, 1]);
  });
});

describe('alertDetailRows', () => {
  it('joins lists of words, writes numbers for people and the rest as JSON', () => {
    expect(
      alertDetailRows({
        by: 'ada@cartae.test',
        changes: ['paused', 'set x'],
        requests: 12345,
        sources: { git: 1 },
      }),
    ).toEqual([
      { key: 'by', value: 'ada@cartae.test' },
      { key: 'changes', value: 'paused; set x' },
      { key: 'requests', value: '12,345' },
      { key: 'sources', value: '{"git":1}' },
    ]);
  });
});
