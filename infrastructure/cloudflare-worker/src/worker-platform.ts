/**
 * What the Worker takes from the world, injected so tests can pass fakes: the network, the clock
 * and a logger. Defaults are the Workers runtime's own.
 */
export interface WorkerPlatform {
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly log: (event: string, details: Record<string, unknown>) => void;
}

export const DEFAULT_PLATFORM: WorkerPlatform = {
  fetch: (input, init) => fetch(input, init),
  now: () => Date.now(),
  log: (event, details) => console.log(JSON.stringify({ event, ...details })),
};
