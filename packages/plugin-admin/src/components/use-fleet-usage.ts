import { useCallback, useEffect, useRef, useState } from 'react';
import type { FleetUsage } from '../model/fleet-usage.ts';
import type { AdminError } from '../service/admin-error.ts';
import type { MarketplaceConfigService } from '../service/marketplace-config-service.ts';

/** Apps report once a minute, so reading more often shows nothing new. */
export const FLEET_REFRESH_MS = 60_000;

/** One answer: the fleet's usage, the config version the control plane holds, and when it was read. */
export interface FleetReading {
  readonly usage: FleetUsage;
  /** Undefined when the config could not be read (the usage still shows; convergence says so). */
  readonly currentVersion: number | undefined;
  readonly readAt: number;
}

/**
 * Reads the fleet's usage over the last `minutes` through the service, every `refreshMs` and on
 * demand. A failed refresh keeps the last reading and reports the error beside it; a change of
 * window starts afresh, and an answer for a window no longer shown is dropped.
 */
export function useFleetUsage(
  service: MarketplaceConfigService,
  minutes: number,
  refreshMs = FLEET_REFRESH_MS,
) {
  const [reading, setReading] = useState<FleetReading>();
  const [error, setError] = useState<AdminError>();
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);

  const load = useCallback(async () => {
    const call = ++latest.current;
    setLoading(true);
    const [usage, config] = await Promise.all([service.getFleetUsage(minutes), service.get()]);
    if (call !== latest.current) return;
    setLoading(false);
    if (!usage.ok) {
      setError(usage.error);
      return;
    }
    setError(undefined);
    setReading({
      usage: usage.value,
      currentVersion: config.ok ? config.value.version : undefined,
      readAt: Date.now(),
    });
  }, [service, minutes]);

  useEffect(() => {
    setReading(undefined);
    setError(undefined);
    void load();
    const timer = setInterval(() => void load(), refreshMs);
    return () => {
      clearInterval(timer);
      latest.current++;
    };
  }, [load, refreshMs]);

  return { reading, error, loading, refresh: load };
}
