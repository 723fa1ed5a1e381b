import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the endpoint received, body included. */
export interface ConfigRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface ConfigEndpoint {
  /** `http://127.0.0.1:{port}/api/config` */
  readonly url: string;
  readonly requests: ConfigRequest[];
  setConfig(document: Record<string, unknown>, version: number): void;
  /** Answer POSTs 405 with `Allow: GET, HEAD, OPTIONS`, as Workers before reports did. */
  refusePosts: boolean;
  methods(): string[];
  /** The bodies of the POSTs received, in order. */
  reports(): string[];
  close(): Promise<void>;
}

/**
 * A stand-in for the Worker's `/api/config`, recording every request with its method and body
 * (the Git host stand-in records neither bodies nor, for the config, a method it would refuse).
 * GET and POST are answered alike — a 304 for a matching `If-None-Match`, else the snapshot with
 * its ETag — unless `refusePosts`.
 */
export async function startConfigEndpoint(): Promise<ConfigEndpoint> {
  let snapshot = { text: '{}', etag: '"none"' };
  const requests: ConfigRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      requests.push({
        method,
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (method === 'POST' && endpoint.refusePosts) {
        res.writeHead(405, { 'content-type': 'application/json', allow: 'GET, HEAD, OPTIONS' });
        res.end('{"error":"method_not_allowed"}');
        return;
      }
      if (req.headers['if-none-match'] === snapshot.etag) {
        res.writeHead(304, { etag: snapshot.etag });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', etag: snapshot.etag });
      res.end(snapshot.text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint: ConfigEndpoint = {
    url: `http://127.0.0.1:${port}/api/config`,
    requests,
    refusePosts: false,
    setConfig(document, version) {
      const text = JSON.stringify({ config: document, version, updatedAt: '2026-11-30T12:00:00.000Z' });
      snapshot = { text, etag: `"v${version}-${text.length}"` };
    },
    methods: () => requests.map((r) => r.method),
    reports: () => requests.filter((r) => r.method === 'POST').map((r) => r.body),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return endpoint;
}
