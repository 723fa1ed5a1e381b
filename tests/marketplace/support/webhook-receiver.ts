import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the receiver got: its headers (lower-case names), its raw body, when it arrived. */
export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly receivedAt: number;
}

export interface WebhookReceiver {
  /** Where to POST, e.g. `http://127.0.0.1:43127/alerts`. */
  readonly url: string;
  /** Every POST so far, oldest first. */
  readonly received: readonly ReceivedWebhook[];
  /** Resolves with the first POST (already received or to come) that `match` accepts; rejects after `timeoutMs`. */
  waitFor(match: (hook: ReceivedWebhook) => boolean, timeoutMs: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

/**
 * A webhook endpoint on loopback that records each POST's headers and body and answers 200 (what
 * Slack and most receivers answer). Anything but a POST gets 405 and is not recorded.
 */
export async function startWebhookReceiver(path = '/alerts'): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const waiters = new Set<(hook: ReceivedWebhook) => void>();
  const server = createServer((request, response) => {
    if (request.method !== 'POST') {
      response.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const hook = {
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      };
      received.push(hook);
      for (const notify of waiters) notify(hook);
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    waitFor(match, timeoutMs) {
      const already = received.find(match);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const notify = (hook: ReceivedWebhook) => {
          if (!match(hook)) return;
          clearTimeout(timer);
          waiters.delete(notify);
          resolve(hook);
        };
        const timer = setTimeout(() => {
          waiters.delete(notify);
          reject(
            new Error(
              `no matching webhook within ${timeoutMs} ms; received ${received.length}: ${received
                .map((h) => h.body.slice(0, 200))
                .join(' | ')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(notify);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
