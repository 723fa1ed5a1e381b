import type { FleetSettings } from '@cartae/marketplace-core';
import { describe, expect, it } from 'vitest';
import { settingsChangeLines } from './settings-change.ts';

const NOW: FleetSettings = {
  automationPaused: false,
  webhookUrl: null,
  webhookSecretSet: false,
  sourceAlert: { errorPercent: 20, windowMinutes: 5 },
  updatedAt: null,
  updatedByEmail: null,
};

describe('settingsChangeLines', () => {
  it('says exactly what each setting becomes', () => {
    expect(
      settingsChangeLines(NOW, {
        automationPaused: true,
        webhookUrl: 'https://hooks.slack.com/services/T0/B0/X',
        webhookSecret: 'a'.repeat(16),
        sourceAlert: { errorPercent: 30 },
      }),
    ).toEqual([
      { setting: 'Automation', before: 'running', after: 'paused' },
      {
        setting: 'Alert webhook URL',
        before: 'none (alerts go to the feed only)',
        after: 'https://hooks.slack.com/services/T0/B0/X',
      },
      { setting: 'Webhook secret', before: 'not set', after: 'set (alerts are signed)' },
      {
        setting: 'Source health alert',
        before: "errors above 20 % of a source's requests over 5 min",
        after: "errors above 30 % of a source's requests over 5 min",
      },
    ]);
    const set = { ...NOW, webhookUrl: 'https://hooks.slack.com/…', webhookSecretSet: true };
    expect(settingsChangeLines(set, { webhookUrl: null, webhookSecret: 'b'.repeat(20) })).toEqual([
      {
        setting: 'Alert webhook URL',
        before: 'https://hooks.slack.com/…',
        after: 'none (alerts go to the feed only)',
      },
      { setting: 'Webhook secret', before: 'set', after: 'replaced by the new secret' },
    ]);
    expect(settingsChangeLines(set, { webhookSecret: null })[0]?.after).toBe(
      'not set (alerts are sent unsigned)',
    );
  });

  it('is empty for a change that changes nothing, so nothing is sent', () => {
    expect(settingsChangeLines(NOW, {})).toEqual([]);
    expect(settingsChangeLines(NOW, { automationPaused: false })).toEqual([]);
    expect(settingsChangeLines(NOW, { webhookUrl: null, webhookSecret: null })).toEqual([]);
    expect(settingsChangeLines(NOW, { sourceAlert: { errorPercent: 20, windowMinutes: 5 } })).toEqual([]);
    expect(settingsChangeLines(NOW, { sourceAlert: {} })).toEqual([]);
  });
});
