import type { KeyValueStorage } from '../storage/key-value-storage.ts';

/** Clock and timers, injected so decisions can be tested without real time. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, message: string, details?: Record<string, unknown>) => void;

/**
 * Everything the resolver needs from the world. Tests pass fakes; the defaults fit browsers,
 * Node and Workers.
 */
export interface Platform {
  readonly fetch: typeof globalThis.fetch;
  readonly storage: KeyValueStorage;
  readonly clock: Clock;
  /** Uniform in [0, 1): jitter and install ids. */
  readonly random: () => number;
  readonly logger: Logger;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const handle = globalThis.setTimeout(fn, ms);
    // A resolver's background timers must never keep a Node process alive on their own.
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Logs warnings and errors to the console; quiet otherwise. */
export const consoleLogger: Logger = (level, message, details) => {
  if (level === 'warn') console.warn(`[marketplace] ${message}`, details ?? '');
  else if (level === 'error') console.error(`[marketplace] ${message}`, details ?? '');
};

export const silentLogger: Logger = () => {};
