import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, headless, as every browser tier of this project starts it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface ResolverPage {
  /** A page on its own loopback origin that loads the resolver as `globalThis.marketplace`. */
  readonly url: string;
  /** The resolver bundled for the browser (esbuild, `page-entry.ts`). */
  readonly script: string;
  close(): Promise<void>;
}

/** Bundles the resolver for the browser and serves it on a loopback origin of its own. */
export async function serveResolverPage(): Promise<ResolverPage> {
  const bundle = await build({
    entryPoints: [new URL('./page-entry.ts', import.meta.url).pathname],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // The workspace packages from their sources, as every tool here (scripts/source-conditions.ts).
    conditions: ['@cartae/source'],
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  const server = createServer((req, res) => {
    const js = req.url === '/resolver.js';
    res.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/html' });
    res.end(
      js
        ? script
        : '<!doctype html><title>marketplace</title><script type="module" src="/resolver.js"></script>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    script,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
