import { err, ok, type Result } from './result.ts';
import { checkUrl, type UrlPolicy } from './url-policy.ts';

/**
 * The fleet settings, as `get_fleet_settings()` answers them (supabase/README.md, "Alerts"):
 * kept outside the config document, so changing them makes no config version and reaches no app.
 */
export interface FleetSettings {
  /** The kill switch: no automatic switch, rollback or promotion while true. */
  readonly automationPaused: boolean;
  /** Scheme and host only ("https://hooks.slack.com/…"): a webhook's path can be its credential. */
  readonly webhookUrl: string | null;
  readonly webhookSecretSet: boolean;
  readonly sourceAlert: SourceAlertRule;
  readonly updatedAt: string | null;
  readonly updatedByEmail: string | null;
}

/** A source is unhealthy across the fleet when its errors exceed `errorPercent` over `windowMinutes`. */
export interface SourceAlertRule {
  readonly errorPercent: number;
  readonly windowMinutes: number;
}

/** What `update_fleet_settings(p_changes)` takes: only the fields to change. `null` clears. */
export interface FleetSettingsChange {
  readonly automationPaused?: boolean;
  readonly webhookUrl?: string | null;
  readonly webhookSecret?: string | null;
  readonly sourceAlert?: Partial<SourceAlertRule>;
}

/** Bounds shared with the SQL (migration 20261201150000). */
export const FLEET_SETTINGS_LIMITS = {
  webhookSecretLength: { min: 16, max: 256 },
  sourceAlertErrorPercent: { min: 1, max: 100, default: 20 },
  sourceAlertWindowMinutes: { min: 1, max: 60, default: 5 },
} as const;

const SETTINGS = ['automationPaused', 'webhookUrl', 'webhookSecret', 'sourceAlert'] as const;
const { webhookSecretLength, sourceAlertErrorPercent, sourceAlertWindowMinutes } = FLEET_SETTINGS_LIMITS;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The same checks as `update_fleet_settings`, with the same words, so the panel and the CLI refuse
 * before sending. `policy` is the caller's URL policy (the database allows http to loopback only
 * where `allow_loopback_http()` says so). Pure.
 *
 * @example
 * validateFleetSettingsChange({ webhookSecret: 'short' });
 * // { ok: false, error: 'invalid fleet settings: webhookSecret must be 16 to 256 characters without spaces or control characters, or null' }
 */
export function validateFleetSettingsChange(
  input: unknown,
  policy: UrlPolicy = {},
): Result<FleetSettingsChange, string> {
  const refuse = (message: string) => err(`invalid fleet settings: ${message}`);
  if (!isObject(input)) return refuse('the changes must be an object');
  for (const key of Object.keys(input)) {
    if (!(SETTINGS as readonly string[]).includes(key)) {
      return refuse(`${key} is not a setting (${SETTINGS.join(', ')})`);
    }
  }
  const change: {
    automationPaused?: boolean;
    webhookUrl?: string | null;
    webhookSecret?: string | null;
    sourceAlert?: Partial<SourceAlertRule>;
  } = {};
  if ('automationPaused' in input) {
    if (typeof input.automationPaused !== 'boolean') return refuse('automationPaused must be true or false');
    change.automationPaused = input.automationPaused;
  }
  if ('webhookUrl' in input) {
    const url = input.webhookUrl;
    if (url === null || url === '') change.webhookUrl = null;
    else if (typeof url !== 'string') return refuse('webhookUrl must be a URL or null');
    else {
      const checked = checkUrl(url, { allowLoopbackHttp: policy.allowLoopbackHttp === true });
      if (!checked.ok) return refuse(`webhookUrl ${checked.error}`);
      change.webhookUrl = url;
    }
  }
  if ('webhookSecret' in input) {
    const secret = input.webhookSecret;
    if (secret === null) change.webhookSecret = null;
    else if (
      typeof secret !== 'string' ||
      secret.length < webhookSecretLength.min ||
      secret.length > webhookSecretLength.max ||
      // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
      /[\s\u0000-\u001f\u007f]/.test(secret)
    ) {
      return refuse(
        `webhookSecret must be ${webhookSecretLength.min} to ${webhookSecretLength.max} characters without spaces or control characters, or null`,
      );
    } else change.webhookSecret = secret;
  }
  if ('sourceAlert' in input) {
    const rule = input.sourceAlert;
    if (!isObject(rule)) return refuse('sourceAlert must be an object');
    const out: { errorPercent?: number; windowMinutes?: number } = {};
    if ('errorPercent' in rule) {
      const n = rule.errorPercent;
      if (typeof n !== 'number' || !(n >= sourceAlertErrorPercent.min && n <= sourceAlertErrorPercent.max)) {
        return refuse(
          `sourceAlert.errorPercent must be a number between ${sourceAlertErrorPercent.min} and ${sourceAlertErrorPercent.max}`,
        );
      }
      out.errorPercent = n;
    }
    if ('windowMinutes' in rule) {
      const n = rule.windowMinutes;
      if (
        typeof n !== 'number' ||
        !Number.isInteger(n) ||
        n < sourceAlertWindowMinutes.min ||
        n > sourceAlertWindowMinutes.max
      ) {
        return refuse(
          `sourceAlert.windowMinutes must be a whole number of minutes between ${sourceAlertWindowMinutes.min} and ${sourceAlertWindowMinutes.max}`,
        );
      }
      out.windowMinutes = n;
    }
    for (const key of Object.keys(rule)) {
      if (key !== 'errorPercent' && key !== 'windowMinutes')
        return refuse(`sourceAlert.${key} is not a setting`);
    }
    change.sourceAlert = out;
  }
  return ok(change);
}

/**
 * What may be shown of a webhook URL: its scheme and host, "/…" when it has more (a Slack
 * webhook's path is its credential). Same as the database's `masked_url`. Pure.
 *
 * @example
 * maskWebhookUrl('https://hooks.slack.com/services/T0/B0/XXXX'); // 'https://hooks.slack.com/…'
 */
export function maskWebhookUrl(url: string): string {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*)([/?#].)?/.exec(url);
  if (match === null) return '(hidden)';
  return `${match[1]}${match[2] === undefined ? '' : '/…'}`;
}
