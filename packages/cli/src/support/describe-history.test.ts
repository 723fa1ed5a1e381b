import type { HistoryEntry } from '@cartae/plugin-admin/service';
import { describe, expect, it } from 'vitest';
import { describeHistory } from './describe-history.ts';

const entry = (over: Partial<HistoryEntry>): HistoryEntry => ({
  id: 1,
  version: 1,
  oldValue: null,
  newValue: { type: 'git' },
  changedAt: '2026-11-30T10:00:00Z',
  changedBy: null,
  changedByEmail: null,
  changedByName: null,
  reason: null,
  origin: 'admin',
  evidence: null,
  ...over,
});

describe('describeHistory', () => {
  it('says so when there is nothing', () => {
    expect(describeHistory([])).toBe('no changes recorded');
  });

  it('keeps every column in place whatever the widths, numbers on the right', () => {
    const text = describeHistory([
      entry({
        id: 112,
        version: 11,
        origin: 'auto-rollback',
        newValue: { type: 'hybrid', priority: ['cloudflare', 'git'] },
        changedByName: 'Ops',
        changedByEmail: 'ops@cartae.test',
        reason: 'canary',
      }),
      entry({ id: 9, version: 9, origin: 'migration' }),
    ]);
    const lines = text.split('\n');
    expect(lines).toEqual([
      'entry  version  changed (local)      origin         source                     by                     reason',
      expect.stringMatching(
        /^ {2}112 {7}11 {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}auto-rollback {2}hybrid \(cloudflare → git\) {2}Ops <ops@cartae\.test> {2}“canary”$/,
      ),
      expect.stringMatching(/^ {4}9 {8}9 {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}migration {6}git {24}system$/),
    ]);
  });
});
