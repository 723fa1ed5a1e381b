import type { MarketplaceSourceResolver } from '@cartae/marketplace-resolver';
import { useCallback, useEffect, useRef, useState } from 'react';
import { nextReadDelay } from './read-schedule.ts';
import { type ConfigView, nextRegistryView, type RegistryView } from './registry-view.ts';

/** Events after which the registry is read again at once rather than at the next tick. */
const REREAD_ON = new Set(['config-changed', 'source-readmitted']);

/**
 * The registry as the page shows it, kept current without a reload: read on mount, again as soon
 * as the fleet's config changes (a switch in the admin panel) or a source comes back, and every
 * `refreshMs` (0: never; backing off while no source answers, see `nextReadDelay`). Reads never
 * overlap; one asked for mid-read runs right after.
 */
export function useRegistryView(
  resolver: MarketplaceSourceResolver,
  refreshMs: number,
): { view: RegistryView; retry: () => void } {
  const [view, setView] = useState<RegistryView>({ kind: 'loading' });
  const readNow = useRef<() => Promise<void>>(undefined);

  useEffect(() => {
    let alive = true;
    let running = false;
    let again = false;
    let failures = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    function schedule(): void {
      if (timer !== undefined) clearTimeout(timer);
      const delay = nextReadDelay(refreshMs, failures);
      timer = delay === undefined ? undefined : setTimeout(() => void read(), delay);
    }

    async function read(): Promise<void> {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const result = await resolver.getRegistry();
          if (!alive) return;
          failures = result.ok && !result.stale ? 0 : failures + 1;
          const { version, origin } = resolver.getHealth().config;
          const config: ConfigView = { version, origin };
          setView((previous) => nextRegistryView(previous, result, config));
        } while (again && alive);
      } finally {
        running = false;
        if (alive) schedule();
      }
    }

    readNow.current = read;
    void read();
    const unsubscribe = resolver.subscribe((event) => {
      if (!REREAD_ON.has(event.type)) return;
      failures = 0;
      void read();
    });
    return () => {
      alive = false;
      readNow.current = undefined;
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [resolver, refreshMs]);

  // A person asking to retry gets a fresh config too: it may point somewhere that works now.
  const retry = useCallback(() => {
    void resolver.reloadConfig().finally(() => readNow.current?.());
  }, [resolver]);

  return { view, retry };
}
