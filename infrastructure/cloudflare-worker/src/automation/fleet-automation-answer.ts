/** What `evaluate_fleet_automation` answered (supabase/README.md, "Automatic switch on Git rate limits"). */
export type FleetAutomationAnswer =
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
  if (value.action === 'none' && typeof value.reason === 'string') {
    return {
      action: 'none',
      reason: value.reason,
      ...(isRecord(value.evidence) ? { evidence: value.evidence } : {}),
    };
  }
  return undefined;
}
