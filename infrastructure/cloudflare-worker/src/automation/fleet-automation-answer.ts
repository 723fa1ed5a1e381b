/** A source whose fleet-wide health changed this minute (supabase/README.md, "Alerts"). */
export interface SourceHealthChange {
  readonly source: string;
  readonly state: 'unhealthy' | 'healthy';
  readonly errorPercent: number;
  readonly errors: number;
  readonly requests: number;
  readonly installs: number;
  readonly windowMinutes: number;
  readonly thresholdPercent: number;
}

/** The alert webhook set in the fleet settings (it wins over ALERT_WEBHOOK_URL). */
export interface ControlPlaneWebhook {
  readonly url: string;
  readonly secret: string | undefined;
}

/** What every answer carries beside its action (absent from a control plane before 20261201150000). */
export interface FleetAutomationExtras {
  /** An admin paused the automation (the kill switch): no action was taken. */
  readonly paused: boolean;
  readonly sourceHealth: readonly SourceHealthChange[];
  /** `undefined`: none set in the fleet settings (ALERT_WEBHOOK_URL, if any, is used). */
  readonly alertWebhook: ControlPlaneWebhook | undefined;
}

/**
 * What `evaluate_fleet_automation` answered (supabase/README.md, "Automatic switch on Git rate
 * limits", "Guarded rollout" and "Alerts").
 */
export type FleetAutomationAnswer = FleetAutomationAction & FleetAutomationExtras;

export type FleetAutomationAction =
  | {
      /** The rollout guard restored version `restored`'s content as version `to`, undoing `from`. */
      readonly action: 'rolled-back';
      readonly from: number;
      readonly to: number;
      readonly restored: number;
      readonly reason?: string;
      readonly evidence: Readonly<Record<string, unknown>>;
    }
  | {
      /** The canary ramp raised `canaryPercent` from `from` to `to`, as config version `version`. */
      readonly action: 'promoted';
      readonly from: number;
      readonly to: number;
      readonly version: number;
      readonly reason?: string;
      readonly evidence: Readonly<Record<string, unknown>>;
    }
  | {
      readonly action: 'switched';
      readonly from: string;
      readonly to: string;
      readonly version: number;
      readonly evidence: Readonly<Record<string, unknown>>;
    }
  | {
      readonly action: 'none';
      readonly reason: string;
      readonly evidence?: Readonly<Record<string, unknown>>;
    };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The well-formed entries of `sourceHealth`; others are dropped. */
function readSourceHealth(value: unknown): SourceHealthChange[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry): SourceHealthChange[] => {
    if (!isRecord(entry) || typeof entry.source !== 'string') return [];
    if (entry.state !== 'unhealthy' && entry.state !== 'healthy') return [];
    const { errorPercent, errors, requests, installs, windowMinutes, thresholdPercent } = entry;
    if (![errorPercent, errors, requests, installs, windowMinutes, thresholdPercent].every(isCount))
      return [];
    return [
      {
        source: entry.source,
        state: entry.state,
        errorPercent: errorPercent as number,
        errors: errors as number,
        requests: requests as number,
        installs: installs as number,
        windowMinutes: windowMinutes as number,
        thresholdPercent: thresholdPercent as number,
      },
    ];
  });
}

function readExtras(value: Record<string, unknown>): FleetAutomationExtras {
  const hook = value.alertWebhook;
  return {
    paused: value.paused === true,
    sourceHealth: readSourceHealth(value.sourceHealth),
    alertWebhook:
      isRecord(hook) && typeof hook.url === 'string'
        ? {
            url: hook.url,
            secret: typeof hook.secret === 'string' && hook.secret !== '' ? hook.secret : undefined,
          }
        : undefined,
  };
}

/**
 * Reads the function's jsonb answer; `undefined` when its action is none of the shapes (a
 * function of another version, a proxy's page). Malformed extras are dropped, not fatal. Pure.
 *
 * @example
 * readFleetAutomationAnswer({ action: 'none', reason: 'auto-switch is off' }); // the same, typed
 */
export function readFleetAutomationAnswer(value: unknown): FleetAutomationAnswer | undefined {
  if (!isRecord(value)) return undefined;
  const action = readAction(value);
  return action === undefined ? undefined : { ...action, ...readExtras(value) };
}

function readAction(value: Record<string, unknown>): FleetAutomationAction | undefined {
  if (value.action === 'switched') {
    const { from, to, version, evidence } = value;
    if (typeof from !== 'string' || typeof to !== 'string' || typeof version !== 'number') return undefined;
    return { action: 'switched', from, to, version, evidence: isRecord(evidence) ? evidence : {} };
  }
  if (value.action === 'promoted') {
    const { from, to, version, reason, evidence } = value;
    if (typeof from !== 'number' || typeof to !== 'number' || typeof version !== 'number') return undefined;
    return {
      action: 'promoted',
      from,
      to,
      version,
      ...(typeof reason === 'string' ? { reason } : {}),
      evidence: isRecord(evidence) ? evidence : {},
    };
  }
  if (value.action === 'rolled-back') {
    const { from, to, restored, reason, evidence } = value;
    if (typeof from !== 'number' || typeof to !== 'number') return undefined;
    return {
      action: 'rolled-back',
      from,
      to,
      // The version before the one undone, when an answer leaves it out.
      restored: typeof restored === 'number' ? restored : from - 1,
      ...(typeof reason === 'string' ? { reason } : {}),
      evidence: isRecord(evidence) ? evidence : {},
    };
  }
  if (value.action === 'none' && typeof value.reason === 'string') {
    return {
      action: 'none',
      reason: value.reason,
      ...(isRecord(value.evidence) ? { evidence: value.evidence } : {}),
    };
  }
  return undefined;
}
