import { describe, expect, it } from 'vitest';
import { convergence, describeConvergence, describeOtherVersions } from './fleet-convergence.ts';

describe('convergence', () => {
  it.each<[string, { configVersion: number; installs: number }[], number | undefined, string, string]>([
    [
      'most installs on the current version',
      [
        { configVersion: 14, installs: 87 },
        { configVersion: 13, installs: 12 },
        { configVersion: 0, installs: 1 },
      ],
      14,
      '87 % of active installs on v14',
      'v13: 12 installs, the built-in default: 1 install',
    ],
    [
      'every install current',
      [{ configVersion: 14, installs: 30 }],
      14,
      '100 % of active installs on v14',
      '',
    ],
    [
      'one short of all: never rounded up to 100 %',
      [
        { configVersion: 14, installs: 999 },
        { configVersion: 13, installs: 1 },
      ],
      14,
      '99 % of active installs on v14',
      'v13: 1 install',
    ],
    [
      'a handful on the new version: not 0 %',
      [
        { configVersion: 15, installs: 1 },
        { configVersion: 14, installs: 300 },
      ],
      15,
      '< 1 % of active installs on v15',
      'v14: 300 installs',
    ],
    [
      'nobody on the current version yet',
      [{ configVersion: 14, installs: 30 }],
      15,
      '0 % of active installs on v15',
      'v14: 30 installs',
    ],
    [
      'no install reported',
      [],
      14,
      'No install reported its config version in the last complete minute.',
      '',
    ],
    [
      'the current version unknown',
      [{ configVersion: 14, installs: 30 }],
      undefined,
      'The current config version could not be read, so convergence is unknown.',
      'v14: 30 installs',
    ],
  ])('%s', (_name, versions, current, line, others) => {
    const c = convergence(versions, current);
    expect(describeConvergence(c)).toBe(line);
    expect(describeOtherVersions(c)).toBe(others);
  });

  it('shares are of the installs that reported a version', () => {
    expect(
      convergence(
        [
          { configVersion: 5, installs: 6 },
          { configVersion: 4, installs: 2 },
        ],
        5,
      ),
    ).toEqual({
      currentVersion: 5,
      onCurrent: 6,
      reporting: 8,
      share: 0.75,
      others: [{ configVersion: 4, installs: 2 }],
    });
  });
});
