/**
 * Runs at most one `work` per owner and key at a time in this isolate: callers that arrive while
 * it runs share its promise. Used so a cold Worker fetches Git once, not once per request.
 *
 * @example
 * const outcome = await singleFlight(env.REGISTRY_KV, 'mirror', () => mirrorRegistry(deps));
 */
const inFlight = new WeakMap<object, Map<string, Promise<unknown>>>();

export function singleFlight<T>(owner: object, key: string, work: () => Promise<T>): Promise<T> {
  let running = inFlight.get(owner);
  if (running === undefined) {
    running = new Map();
    inFlight.set(owner, running);
  }
  const existing = running.get(key);
  if (existing !== undefined) return existing as Promise<T>;
  const started = work().finally(() => running.delete(key));
  running.set(key, started);
  return started;
}
