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
  // A timer cleared on completion rather than AbortSignal.timeout, as in the usage flush.
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`no answer within ${EVALUATE_TIMEOUT_MS} ms`)),
    EVALUATE_TIMEOUT_MS,
  );
  try {
    const response = await platform.fetch(target.url, {
      method: 'POST',
      headers: {
        apikey: target.serviceRoleKey,
        authorization: `Bearer ${target.serviceRoleKey}`,
        'content-type': 'application/json',
      },
      body: '{}',
      signal: controller.signal,
    });
    const text = await response.text();
    if (!response.ok) {
      const detail = text.slice(0, 300);
      return {
        ok: false,
        error: `control plane answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`,
      };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const answer = readFleetAutomationAnswer(parsed);
    if (answer === undefined) {
      return { ok: false, error: `control plane answered an unreadable evaluation: ${text.slice(0, 300)}` };
    }
    return { ok: true, answer };
  } catch (cause) {
    return { ok: false, error: `control plane unreachable: ${(cause as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}
