import { describe, expect, it } from 'vitest';
import { parseControlPlaneSnapshot } from './control-plane-snapshot.ts';

describe('parseControlPlaneSnapshot', () => {
  it.each([
    ['RPC object', { config_value: { type: 'git' }, version: 3, updated_at: '2026-11-24T10:00:00Z' }],
    [
      'RPC one-row set',
      [{ config_value: { type: 'git' }, version: '3', updated_at: '2026-11-24T10:00:00Z' }],
    ],
    ['Worker /api/config', { config: { type: 'git' }, version: 3, updatedAt: '2026-11-24T10:00:00Z' }],
  ])('reads the %s shape', (_name, json) => {
    expect(parseControlPlaneSnapshot(json)).toEqual({
      ok: true,
      value: { document: { type: 'git' }, version: 3, updatedAt: '2026-11-24T10:00:00Z' },
    });
  });

  it.each([null, 'git', [], [{ a: 1 }, { b: 2 }], { version: 3 }])('refuses %j', (json) => {
    const r = parseControlPlaneSnapshot(json);
    expect(!r.ok && r.error.code).toBe('config_invalid');
  });
});
