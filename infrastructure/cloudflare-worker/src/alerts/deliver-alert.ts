import type { WorkerPlatform } from '../worker-platform.ts';
import type { Alert } from './alert.ts';
import { ALERT_RETRY_DELAYS_MS, alertVerdict } from './alert-retry.ts';
import { signAlert } from './alert-signature.ts';
import type { AlertTarget } from './alert-target.ts';

/** An attempt that takes longer counts as unanswered (and is retried), as for the usage flush. */
export const ALERT_TIMEOUT_MS = 10_000;

/** How a delivery ended: on which attempt, and the last status or error. */
export interface AlertDeliveryOutcome {
  readonly delivered: boolean;
  readonly attempts: number;
  readonly status?: number;
  readonly error?: string;
}

export interface DeliveryOptions {
  /** Delay before each attempt (default 0 s, 2 s, 8 s); its length is the number of attempts. */
  readonly delaysMs?: readonly number[];
  readonly sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One POST of the alert, signed afresh (a new timestamp per attempt). Never throws. */
async function postAlert(
  target: AlertTarget,
  body: string,
  platform: WorkerPlatform,
): Promise<{ status?: number; error?: string }> {
  const timestamp = Math.floor(platform.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'cartae-marketplace-worker (+https://marketplace.cartae.com)',
    'x-cartae-timestamp': String(timestamp),
  };
  if (target.secret !== undefined) {
    headers['x-cartae-signature'] = await signAlert(target.secret, timestamp, body);
  }
  // A timer cleared on completion rather than AbortSignal.timeout, for the same reason as the
  // usage flush: an armed timer keeps the invocation busy after a quick answer.
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`no answer within ${ALERT_TIMEOUT_MS} ms`)),
    ALERT_TIMEOUT_MS,
  );
  try {
    // redirect: 'manual' — a redirect could lead to a URL the URL policy never saw.
    const response = await platform.fetch(target.url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: controller.signal,
    });
    await response.body?.cancel();
    return { status: response.status };
  } catch (cause) {
    return { error: `webhook unreachable: ${(cause as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * POSTs an alert to the webhook, up to three times (at once, then after 2 s and 8 s): a 2xx ends
 * it, a 4xx other than 408/425/429 (or a redirect) stops it, anything else is tried again. Each
 * failed attempt is logged as one `alert_delivery_failed` line. Never throws.
 *
 * @example
 * ctx.waitUntil(deliverAlert(target, alert, platform)); // { delivered: true, attempts: 1, status: 200 }
 */
export async function deliverAlert(
  target: AlertTarget,
  alert: Alert,
  platform: WorkerPlatform,
  options: DeliveryOptions = {},
): Promise<AlertDeliveryOutcome> {
  const body = JSON.stringify(alert);
  const delays = options.delaysMs ?? ALERT_RETRY_DELAYS_MS;
  const sleep = options.sleep ?? wait;
  let last: { status?: number; error?: string } = { error: 'no attempt was made' };
  for (const [index, delay] of delays.entries()) {
    if (delay > 0) await sleep(delay);
    last = await postAlert(target, body, platform);
    const verdict = alertVerdict(last.status);
    if (verdict === 'delivered') {
      return { delivered: true, attempts: index + 1, status: last.status ?? 0 };
    }
    const willRetry = verdict === 'retry' && index + 1 < delays.length;
    platform.log('alert_delivery_failed', {
      alert: alert.event,
      attempt: index + 1,
      ...(last.status === undefined ? {} : { status: last.status }),
      ...(last.error === undefined ? {} : { error: last.error }),
      willRetry,
    });
    if (!willRetry) return { delivered: false, attempts: index + 1, ...last };
  }
  return { delivered: false, attempts: delays.length, ...last };
}
