import { describe, expect, it } from 'vitest';
import { describePause, describeSourceRule, parseFleetSettings } from './fleet-settings-view.ts';

const ANSWER = {
  automationPaused: true,
  webhookUrl: 'https://hooks.slack.com/…',
  webhookSecretSet: true,
  sourceAlert: { errorPercent: 20, windowMinutes: 5 },
  updatedAt: '2026-12-01T10:00:00.000Z',
  updatedByEmail: 'ada@cartae.test',
};

describe('parseFleetSettings', () => {
  it("reads get_fleet_settings' answer, and refuses what is not one", () => {
    expect(parseFleetSettings(ANSWER)).toEqual(ANSWER);
    expect(parseFleetSettings([ANSWER])).toEqual(ANSWER);
    expect(
      parseFleetSettings({
        ...ANSWER,
        webhookUrl: null,
        webhookSecretSet: 'yes',
        updatedAt: null,
        updatedByEmail: '',
      }),
    ).toEqual({
      ...ANSWER,
      webhookUrl: null,
      webhookSecretSet: false,
      updatedAt: null,
      updatedByEmail: null,
    });
    expect(
      parseFleetSettings({ ...ANSWER, sourceAlert: { errorPercent: '20', windowMinutes: 5 } })?.sourceAlert,
    ).toEqual({
      errorPercent: 20,
      windowMinutes: 5,
    });
    expect(parseFleetSettings(null)).toBeUndefined();
    expect(parseFleetSettings({ ...ANSWER, automationPaused: 'no' })).toBeUndefined();
    expect(
      parseFleetSettings({ ...ANSWER, sourceAlert: { errorPercent: 'x', windowMinutes: 5 } }),
    ).toBeUndefined();
  });
});

describe('describePause and describeSourceRule', () => {
  const at = Date.parse(ANSWER.updatedAt);
  const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  it('says who paused and since when, as far as it is known', () => {
    expect(describePause(ANSWER, at + 12 * 60_000, clock)).toBe(
      'by ada@cartae.test since 10:00 (12 min ago)',
    );
    expect(describePause({ updatedAt: null, updatedByEmail: 'ada@cartae.test' }, at, clock)).toBe(
      'by ada@cartae.test',
    );
    expect(describePause({ updatedAt: ANSWER.updatedAt, updatedByEmail: null }, at, clock)).toBe(
      'since 10:00 (just now)',
    );
    expect(describePause({ updatedAt: null, updatedByEmail: null }, at, clock)).toBe('');
  });
  it('says the rule in words', () => {
    expect(describeSourceRule({ errorPercent: 20, windowMinutes: 5 })).toBe(
      "errors above 20 % of a source's requests over 5 min",
    );
  });
});
