import { createServer } from 'node:net';
import { CliError, EXIT } from '../support/exit-codes.ts';

/** Fails with a clear message when `port` is taken, before anything starts. */
export async function ensurePortFree(host: string, port: number, what: string, flag: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new CliError(
          error.code === 'EADDRINUSE'
            ? `port ${port} (${what}) is busy: stop what uses it, or choose another with ${flag}`
            : `cannot listen on ${host}:${port} (${what}): ${error.message}`,
          EXIT.usage,
        ),
      ),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

/** A free loopback port, for tests and `--port 0`. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
