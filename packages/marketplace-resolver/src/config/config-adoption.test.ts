import { describe, expect, it } from 'vitest';
import { isOlderConfigVersion, judgeConfigAnswer } from './config-adoption.ts';

describe('config adoption', () => {
  // [answer version, answer stale, highest adopted, adopt, fresh]
  const cases: [number | undefined, boolean, number | undefined, boolean, boolean][] = [
    [7, false, undefined, true, true], // first versioned answer
    [8, false, 7, true, true], // newer
    [7, false, 7, true, true], // the same version: confirmed
    [6, false, 7, false, true], // older, but the control plane answered: the TTL restarts
    [8, true, 7, true, false], // a stale copy newer than what is held moves forward, still stale
    [7, true, 7, true, false], // a stale copy of what is held confirms nothing
    [6, true, 7, false, false], // issue 12: the edge's stale 6 after Supabase's 7
    [6, true, undefined, true, false], // nothing held: a stale copy beats the built-in default
    [undefined, false, undefined, true, true], // unversioned control plane: latest answer wins
    [undefined, false, 3, false, true], // unversioned after version 3: cannot prove it is newer
    [undefined, true, undefined, true, false],
    [1, false, undefined, true, true], // any version ranks above none
  ];
  it.each(cases)(
    'version %s (stale: %s) against highest %s → adopt %s, fresh %s',
    (version, stale, highest, adopt, fresh) => {
      expect(judgeConfigAnswer({ version, stale }, highest)).toEqual({ adopt, fresh });
    },
  );

  it('a rollback is a higher version, whatever its content, so it is never older', () => {
    expect(isOlderConfigVersion(9, 8)).toBe(false);
    expect(isOlderConfigVersion(0, 8)).toBe(true);
  });
});
