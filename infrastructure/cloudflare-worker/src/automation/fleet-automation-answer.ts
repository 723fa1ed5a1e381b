/**
 * What `evaluate_fleet_automation` answered (supabase/README.md, "Automatic switch on Git rate
 * limits" and "Guarded rollout").
 */
export type FleetAutomationAnswer =
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

/**
 * Reads the function's jsonb answer; `undefined` when it is neither shape (a function of another
 * version, a proxy's page). Pure.
 *
 * @example
 * readFleetAutomationAnswer({ action: 'none', reason: 'auto-switch is off' }); // the same, typed
 */
export function readFleetAutomationAnswer(value: unknown): FleetAutomationAnswer | undefined {
  if (!isRecord(value)) return undefined;
  if (value.action === 'switched') {
    const { from, to, version, evidence } = value;
    if (typeof from !== 'string' || typeof to !== 'string' || typeof version !== 'number') return undefined;
    return { action: 'switched', from, to, version, evidence: isRecord(evidence) ? evidence : {} };
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
