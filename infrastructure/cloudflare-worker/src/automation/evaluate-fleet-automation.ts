import { callServiceRoleRpc } from '../http/service-role-rpc.ts';
import type { WorkerPlatform } from '../worker-platform.ts';
import { type FleetAutomationAnswer, readFleetAutomationAnswer } from './fleet-automation-answer.ts';
import type { FleetAutomationTarget } from './fleet-automation-target.ts';

/** A call that takes longer is counted as failed; the next minute's run tries again. */
export const EVALUATE_TIMEOUT_MS = 10_000;

export type EvaluationResult =
  | { readonly ok: true; readonly answer: FleetAutomationAnswer }
  | { readonly ok: false; readonly error: string };

/**
 * Asks the control plane to evaluate the fleet automation once:
 * `POST /rest/v1/rpc/evaluate_fleet_automation` with `{}` (the function judges at its own `now()`)
 * and the service role key (the function is callable by the service role only). It may switch the
 * fleet's source and says so. Never throws: a failure is a result that says what happened.
 *
 * @example
 * const result = await evaluateFleetAutomation(target, platform);
 * if (result.ok && result.answer.action === 'switched') …
 */
export async function evaluateFleetAutomation(
  target: FleetAutomationTarget,
  platform: WorkerPlatform,
): Promise<EvaluationResult> {
  const call = await callServiceRoleRpc(target, '{}', platform, { timeoutMs: EVALUATE_TIMEOUT_MS });
  if (!call.ok) return { ok: false, error: call.error };
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.text);
  } catch {
    parsed = undefined;
  }
  const answer = readFleetAutomationAnswer(parsed);
  if (answer === undefined) {
    return {
      ok: false,
      error: `control plane answered an unreadable evaluation: ${call.text.slice(0, 300)}`,
    };
  }
  return { ok: true, answer };
}
