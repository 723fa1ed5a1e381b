import type { ServerResponse } from 'node:http';

/**
 * Writes `body` at `bytesPerSecond`, in chunks of a tenth of a second's worth: a slow but steady
 * network as a client sees it. Stops when the client goes away.
 */
export function writeThrottled(res: ServerResponse, body: Buffer, bytesPerSecond: number): void {
  const chunk = Math.max(1, Math.round(bytesPerSecond / 10));
  const intervalMs = (chunk / bytesPerSecond) * 1000;
  const started = Date.now();
  let sent = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  res.on('close', () => clearTimeout(timer));
  const next = () => {
    if (res.destroyed) return;
    const end = Math.min(body.length, sent + chunk);
    res.write(body.subarray(sent, end));
    sent = end;
    if (sent >= body.length) {
      res.end();
      return;
    }
    // Scheduled against the start, so timer lateness does not slow the rate down.
    const due = started + (sent / chunk) * intervalMs;
    timer = setTimeout(next, Math.max(0, due - Date.now()));
  };
  next();
}
