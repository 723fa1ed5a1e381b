import type { MarketplaceSourceResolver } from '@cartae/marketplace-resolver';
import { useCallback, useEffect, useRef, useState } from 'react';
import { onPageReturn } from './page-return.ts';
import { nextReadDelay, readsOnEvent, readsOnReturn } from './read-schedule.ts';
import type { ReadSpan } from './read-timing.ts';
import { nextRegistryView, type RegistryView } from './registry-view.ts';
import { sourcePlanOf } from './source-plan.ts';

const firstConfigs = new WeakMap<MarketplaceSourceResolver, Promise<number | undefined>>();

/** The config TTL the first read waits for: one config request per resolver, however many mounts. */
function firstConfig(resolver: MarketplaceSourceResolver): Promise<number | undefined> {
  let first = firstConfigs.get(resolver);
  if (first === undefined) {
    first = resolver.getConfig().then(
      (current) => current.config.cacheTtlSeconds,
      () => undefined,
    );
    firstConfigs.set(resolver, first);
  }
  return first;
}

/**
 * The span of a read that answered from `url`, marked in User Timing (`cartae:registry-read`) so
 * devtools and the bench see when a registry was in hand and how long the page took to draw it.
 */
function spanOf(url: string, startedAt: number): ReadSpan | undefined {
  if (typeof performance.mark !== 'function') return undefined;
  performance.mark('cartae:registry-read');
  return { url, startedAt, endedAt: performance.now() };
}

interface Reads {
  read(): void;
  retry(): void;
}

/**
 * The registry as the page shows it, kept current without a reload and without a polling timer.
 * Read when the page opens; again at once when the fleet's config changes (an admin switch), when
 * the page is shown after being hidden longer than the config TTL, and when a person asks
 * (`refresh`); while only a saved copy or nothing is shown, also when a source is re-admitted and
 * every five minutes (see `read-schedule.ts` for why these and no others). Reads never overlap;
 * one asked for mid-read runs right after.
 */
export function useRegistryView(resolver: MarketplaceSourceResolver): {
  view: RegistryView;
  /** Reads the registry now (one conditional request: a 304 when nothing changed). */
  refresh: () => void;
  /** Fetches the config, then reads the registry: for when nothing could be shown. */
  retry: () => void;
} {
  const [view, setView] = useState<RegistryView>({ kind: 'loading' });
  const reads = useRef<Reads>(undefined);

  useEffect(() => {
    let alive = true;
    let running = false;
    let again = false;
    let fresh = false;
    let started = 0;
    let ttlSeconds: number | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stops: (() => void)[] = [];

    function schedule(): void {
      if (timer !== undefined) clearTimeout(timer);
      const delay = nextReadDelay(fresh);
      timer = delay === undefined ? undefined : setTimeout(() => void read(), delay);
    }

    async function read(): Promise<void> {
      if (!alive) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          started++;
          const startedAt = performance.now();
          const result = await resolver.getRegistry();
          const span = result.ok ? spanOf(result.url, startedAt) : undefined;
          // Resolves at once: the read above waited for the config.
          const { config, version, origin } = await resolver.getConfig();
          if (!alive) return;
          fresh = result.ok && !result.stale;
          // The bucket the resolver placed this install in (0 until it knows, as the resolver does).
          const plan = sourcePlanOf(config, resolver.getHealth().installBucket ?? 0);
          setView((previous) => nextRegistryView(previous, result, { version, origin, plan }, span));
        } while (again && alive);
      } finally {
        running = false;
        if (alive) schedule();
      }
    }

    function open(configTtlSeconds: number | undefined): void {
      if (!alive) return;
      ttlSeconds = configTtlSeconds;
      void read();
      stops.push(
        resolver.subscribe((event) => {
          if (event.type === 'config-changed') ttlSeconds = event.config.cacheTtlSeconds;
          if (readsOnEvent(event.type, fresh)) void read();
        }),
      );
      if (typeof document !== 'undefined') {
        stops.push(
          onPageReturn(
            document,
            () => Date.now(),
            (hiddenForMs) => {
              if (ttlSeconds !== undefined && readsOnReturn(hiddenForMs, ttlSeconds)) void read();
            },
          ),
        );
      }
    }

    reads.current = {
      read: () => void read(),
      // A person asking to retry gets a fresh config too: it may point somewhere that works now.
      // When it changed, its event has already started a read; otherwise read here.
      retry: () => {
        const before = started;
        void resolver.reloadConfig().finally(() => {
          if (started === before) void read();
        });
      },
    };
    // The first read waits for the config: started earlier, it would read once with the built-in
    // config and again for the control plane's (a config-changed event), two requests per open.
    // Asked once per resolver: StrictMode runs this effect twice in development, and a second
    // config request answering before the first would open the page before the first one's
    // config-changed event, which then reads the registry a second time.
    void firstConfig(resolver).then(open);
    return () => {
      alive = false;
      reads.current = undefined;
      for (const stop of stops) stop();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [resolver]);

  const refresh = useCallback(() => reads.current?.read(), []);
  const retry = useCallback(() => reads.current?.retry(), []);
  return { view, refresh, retry };
}
