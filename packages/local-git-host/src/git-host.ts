import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join, normalize } from 'node:path';
import { type Behaviour, SERVE } from './behaviour.ts';
import { acceptsGzip, noneMatch, representations } from './content-encoding.ts';
import type { RateLimitWindow } from './rate-limit-window.ts';
import { writeThrottled } from './throttled-write.ts';

export interface GitHostOptions {
  /** Folder served at the root (e.g. the repo's `registry/`). */
  readonly root?: string;
  /** In-memory files by path (`/registry.json`), checked before `root`. */
  readonly files?: Record<string, string>;
  readonly port?: number;
  readonly host?: string;
  /** Simulated quota, shared by all clients (GitHub counts per IP; on loopback that is one). */
  readonly rateLimit?: RateLimitWindow;
  readonly now?: () => number;
  /** How many requests `requests` keeps, the newest. Default {@link MAX_RECORDED_REQUESTS}. */
  readonly maxRecordedRequests?: number;
  /** `Cache-Control` sent with files. Default `max-age=300`, as raw.githubusercontent.com sends. */
  readonly cacheControl?: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly ifNoneMatch: string | undefined;
  readonly at: number;
}

/** How many requests `requests` keeps (the newest). */
export const MAX_RECORDED_REQUESTS = 10_000;

export interface GitHost {
  readonly url: string;
  /** The newest requests received (at most {@link MAX_RECORDED_REQUESTS}). */
  readonly requests: RecordedRequest[];
  /** Sets what the host does for one path (or `*` for every path) until changed. */
  setBehaviour(path: string, behaviour: Behaviour): void;
  /** Replaces or adds an in-memory file. */
  setFile(path: string, content: string): void;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts a loopback host that serves files the way raw.githubusercontent.com does: gzip when the
 * client accepts it (`content-encoding.ts`), ETag, `If-None-Match` → 304, `x-ratelimit-*` headers,
 * and scripted failures.
 *
 * @example
 * const git = await startGitHost({ files: { '/registry.json': text } });
 * git.setBehaviour('/registry.json', { kind: 'rate-limited', retryAfterSeconds: 60 });
 */
export async function startGitHost(options: GitHostOptions = {}): Promise<GitHost> {
  const files = new Map(Object.entries(options.files ?? {}));
  const behaviours = new Map<string, Behaviour>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const now = options.now ?? Date.now;
  // A file's encodings, made once per content: gzipping a 3.67 MB registry takes ~40 ms.
  const encoded = new Map<string, { content: string; reps: ReturnType<typeof representations> }>();
  const representationsOf = (path: string, content: string) => {
    const known = encoded.get(path);
    if (known?.content === content) return known.reps;
    const reps = representations(content);
    encoded.set(path, { content, reps });
    return reps;
  };

  async function load(path: string): Promise<string | undefined> {
    const inMemory = files.get(path);
    if (inMemory !== undefined) return inMemory;
    if (!options.root) return undefined;
    const relative = normalize(decodeURIComponent(path)).replace(/^(\.\.[/\\])+/, '');
    if (relative.includes('..')) return undefined;
    try {
      return await readFile(join(options.root, relative), 'utf8');
    } catch {
      return undefined;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const ifNoneMatch = req.headers['if-none-match'];
    // Bounded, so a long `npm start` session does not grow without end: the newest are kept.
    const keep = options.maxRecordedRequests ?? MAX_RECORDED_REQUESTS;
    if (requests.length >= keep) requests.splice(0, requests.length - keep + 1);
    requests.push({ method: req.method ?? 'GET', path, ifNoneMatch, at: now() });
    const behaviour = behaviours.get(path) ?? behaviours.get('*') ?? SERVE;
    const headers: Record<string, string> = {
      'access-control-allow-origin': '*',
      'access-control-expose-headers':
        'etag, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, retry-after',
    };

    if (req.method === 'OPTIONS') {
      // CORS preflight, as raw.githubusercontent.com answers it (If-None-Match is not a simple header).
      res.writeHead(204, {
        ...headers,
        'access-control-allow-methods': 'GET, HEAD, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    if (behaviour.kind === 'hang') return;
    if (behaviour.kind === 'delay') await new Promise((r) => setTimeout(r, behaviour.ms));
    if (behaviour.kind === 'status') {
      res.writeHead(behaviour.status, { ...headers, 'content-type': 'text/plain', ...behaviour.headers });
      res.end(behaviour.body ?? `${behaviour.status}\n`);
      return;
    }
    if (behaviour.kind === 'rate-limited') {
      const reset = Math.ceil((now() + (behaviour.retryAfterSeconds ?? 60) * 1000) / 1000);
      const rl = {
        'x-ratelimit-limit': '60',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(reset),
      };
      res.writeHead(behaviour.as403 ? 403 : 429, {
        ...headers,
        ...rl,
        'content-type': 'text/plain',
        ...(behaviour.as403 ? {} : { 'retry-after': String(behaviour.retryAfterSeconds ?? 60) }),
      });
      res.end('API rate limit exceeded\n');
      return;
    }
    if (behaviour.kind === 'body') {
      res.writeHead(200, { ...headers, 'content-type': behaviour.contentType ?? 'text/html; charset=utf-8' });
      res.end(behaviour.body);
      return;
    }
    if (options.rateLimit) {
      const quota = options.rateLimit.take(now());
      Object.assign(headers, {
        'x-ratelimit-limit': String(options.rateLimit.limit),
        'x-ratelimit-remaining': String(quota.remaining),
        'x-ratelimit-reset': String(Math.ceil(quota.resetAt / 1000)),
      });
      if (!quota.allowed) {
        const retry = Math.max(1, Math.ceil((quota.resetAt - now()) / 1000));
        res.writeHead(429, { ...headers, 'retry-after': String(retry), 'content-type': 'text/plain' });
        res.end('API rate limit exceeded\n');
        return;
      }
    }
    const content = await load(path);
    if (content === undefined) {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain' });
      res.end('404: Not Found');
      return;
    }
    const reps = representationsOf(path, content);
    // stall and truncate cut the identity bytes, so their `bytes` count the file's own bytes.
    const cut = behaviour.kind === 'stall' || behaviour.kind === 'truncate';
    const chosen = !cut && acceptsGzip(req.headers['accept-encoding']) ? reps.gzip() : reps.identity;
    Object.assign(headers, {
      etag: chosen.etag,
      vary: 'Accept-Encoding',
      'cache-control': options.cacheControl ?? 'max-age=300',
      'content-type': 'text/plain; charset=utf-8',
    });
    if (noneMatch(ifNoneMatch, chosen.etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    headers['content-length'] = String(chosen.body.length);
    if (chosen.encoding) headers['content-encoding'] = chosen.encoding;
    if (behaviour.kind === 'stall' || behaviour.kind === 'truncate') {
      res.writeHead(200, headers);
      res.write(chosen.body.subarray(0, behaviour.bytes));
      if (behaviour.kind === 'truncate') res.socket?.destroy();
      return;
    }
    res.writeHead(200, headers);
    if (behaviour.kind === 'throttle') writeThrottled(res, chosen.body, behaviour.bytesPerSecond);
    else res.end(chosen.body);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    requests,
    setBehaviour: (path, behaviour) => behaviours.set(path, behaviour),
    setFile: (path, content) => files.set(path, content),
    reset: () => {
      behaviours.clear();
      encoded.clear();
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
