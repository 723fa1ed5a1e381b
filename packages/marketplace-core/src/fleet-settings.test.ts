import { describe, expect, it } from 'vitest';
import { maskWebhookUrl, validateFleetSettingsChange } from './fleet-settings.ts';

describe('validateFleetSettingsChange (the words of update_fleet_settings)', () => {
  it.each([
    [{ automationPaused: true }, { automationPaused: true }],
    [
      { webhookUrl: 'https://hooks.slack.com/services/T/B/X' },
      { webhookUrl: 'https://hooks.slack.com/services/T/B/X' },
    ],
    [{ webhookUrl: '' }, { webhookUrl: null }],
    [
      { webhookUrl: null, webhookSecret: null },
      { webhookUrl: null, webhookSecret: null },
    ],
    [{ webhookSecret: 'a'.repeat(16) }, { webhookSecret: 'a'.repeat(16) }],
    [{ sourceAlert: { errorPercent: 12.5 } }, { sourceAlert: { errorPercent: 12.5 } }],
    [
      { sourceAlert: { windowMinutes: 60, errorPercent: 100 } },
      { sourceAlert: { windowMinutes: 60, errorPercent: 100 } },
    ],
    [{}, {}],
  ])('accepts %j', (input, expected) => {
    expect(validateFleetSettingsChange(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    [[], 'the changes must be an object'],
    [
      { webhookURL: 'x' },
      'webhookURL is not a setting (automationPaused, webhookUrl, webhookSecret, sourceAlert)',
    ],
    [{ automationPaused: 'yes' }, 'automationPaused must be true or false'],
    [{ webhookUrl: 42 }, 'webhookUrl must be a URL or null'],
    [
      { webhookUrl: 'http://hooks.example.com/x' },
      'webhookUrl must use https (http is only accepted for localhost)',
    ],
    [{ webhookUrl: 'http://127.0.0.1:9/x' }, 'webhookUrl must use https (http to localhost is not enabled)'],
    [{ webhookUrl: 'https://u:p@hooks.example.com/x' }, 'webhookUrl must not contain credentials'],
    [
      { webhookSecret: 'a'.repeat(15) },
      'webhookSecret must be 16 to 256 characters without spaces or control characters, or null',
    ],
    [
      { webhookSecret: `${'a'.repeat(16)} b` },
      'webhookSecret must be 16 to 256 characters without spaces or control characters, or null',
    ],
    [
      { webhookSecret: 'a'.repeat(257) },
      'webhookSecret must be 16 to 256 characters without spaces or control characters, or null',
    ],
    [{ sourceAlert: 5 }, 'sourceAlert must be an object'],
    [{ sourceAlert: { errorPercent: 0.5 } }, 'sourceAlert.errorPercent must be a number between 1 and 100'],
    [
      { sourceAlert: { errorPercent: Number.NaN } },
      'sourceAlert.errorPercent must be a number between 1 and 100',
    ],
    [
      { sourceAlert: { windowMinutes: 2.5 } },
      'sourceAlert.windowMinutes must be a whole number of minutes between 1 and 60',
    ],
    [
      { sourceAlert: { windowMinutes: 61 } },
      'sourceAlert.windowMinutes must be a whole number of minutes between 1 and 60',
    ],
    [{ sourceAlert: { extra: 1 } }, 'sourceAlert.extra is not a setting'],
  ])('refuses %j: %s', (input, message) => {
    expect(validateFleetSettingsChange(input)).toEqual({
      ok: false,
      error: `invalid fleet settings: ${message}`,
    });
  });

  it('accepts http to loopback when the caller allows it (local development)', () => {
    expect(
      validateFleetSettingsChange({ webhookUrl: 'http://127.0.0.1:9/x' }, { allowLoopbackHttp: true }).ok,
    ).toBe(true);
  });
});

describe('maskWebhookUrl (the database masked_url)', () => {
  it.each([
    ['https://hooks.slack.com/services/T0/B0/XXXX', 'https://hooks.slack.com/…'],
    ['https://hooks.example.com', 'https://hooks.example.com'],
    ['https://hooks.example.com/', 'https://hooks.example.com'],
    ['https://hooks.example.com?token=x', 'https://hooks.example.com/…'],
    ['not a url', '(hidden)'],
  ])('%s → %s', (url, shown) => {
    expect(maskWebhookUrl(url)).toBe(shown);
  });
});
