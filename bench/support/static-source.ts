/**
 * A registry source for the fetch-overhead benchmark: one body, no ETag (so every client downloads
 * the same bytes every time), on loopback. Run in a process of its own, it is what a source is for
 * an app: another program. `startStaticSource` can also run it on the caller's own thread.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface StaticSource {
  readonly url: string;
  close(): Promise<void>;
}

function listen(body: string): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}

export async function startStaticSource(
  body: string,
  placement: 'own process' | 'same thread',
): Promise<StaticSource> {
  if (placement === 'same thread') {
    const { port, close } = await listen(body);
    return { url: `http://127.0.0.1:${port}/registry.json`, close };
  }
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), 'serve'],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  child.stdin?.end(body);
  const port = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`static source exited with ${code}`)));
    child.stdout?.once('data', (line) => resolve(String(line).trim()));
  });
  return {
    url: `http://127.0.0.1:${port}/registry.json`,
    close: async () => {
      child.removeAllListeners('exit');
      child.kill();
    },
  };
}

// In its own process: read the body from stdin, print the port, serve until killed.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'serve') {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const { port } = await listen(Buffer.concat(chunks).toString('utf8'));
  process.stdout.write(`${port}\n`);
}
