import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { marketplaceAnswers } from '../fixtures/marketplace-answers.mjs';

/** A loopback HTTP server answering as the network the README's snippets name. */
export interface LoopbackMarketplace {
  /** `host:port` on 127.0.0.1. */
  readonly address: string;
  /** Every request seen and its answer, as `METHOD https://host/path?query → status`. */
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 that answers what fixtures/marketplace-answers.mjs lists, by the URL
 * asked for (`x-forwarded-url`, set by the Worker that forwards workerd's requests here; else its
 * `Host` and path), with an `etag` (a 304 to a request that names it); anything else is a 404.
 */
export async function startLoopbackMarketplace(): Promise<LoopbackMarketplace> {
  const answers = marketplaceAnswers();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const forwarded = req.headers['x-forwarded-url'];
    const url = typeof forwarded === 'string' ? forwarded : `https://${req.headers.host}${req.url ?? '/'}`;
    const answer = (status: number, headers: Record<string, string>, body?: string) => {
      requests.push(`${req.method} ${url} → ${status}`);
      res.writeHead(status, headers).end(body);
    };
    req.resume();
    const body = answers[url.split('?')[0] ?? url];
    if (body === undefined) return answer(404, { 'content-type': 'text/plain' }, 'not found');
    const etag = `"${url.length}"`;
    if (req.headers['if-none-match'] === etag) return answer(304, { etag });
    answer(200, { 'content-type': 'application/json', etag }, JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
