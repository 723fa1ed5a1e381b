import { useCallback, useEffect, useRef, useState } from 'react';
import { type FleetAlert, mergeNewest } from '../model/fleet-alerts.ts';
import type { AdminError } from '../service/admin-error.ts';
import type { MarketplaceConfigService } from '../service/marketplace-config-service.ts';
import { FLEET_REFRESH_MS } from './use-fleet-usage.ts';

/** Alerts shown per page: the newest on load and on refresh, as many more on "load older". */
export const ALERT_PAGE_SIZE = 20;

/**
 * The alert feed through the service: the newest page on mount and every `refreshMs` (with the
 * rest of Monitoring), older pages on demand, kept across refreshes. A failed read keeps what is
 * shown and reports the error beside it.
 */
export function useFleetAlerts(
  service: MarketplaceConfigService,
  pageSize = ALERT_PAGE_SIZE,
  refreshMs = FLEET_REFRESH_MS,
) {
  const [alerts, setAlerts] = useState<FleetAlert[]>();
  const [hasOlder, setHasOlder] = useState(false);
  const [error, setError] = useState<AdminError>();
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [readAt, setReadAt] = useState(() => Date.now());
  const pagesLoaded = useRef(0);

  const refresh = useCallback(async () => {
    const page = await service.getFleetAlerts({ limit: pageSize });
    if (!page.ok) {
      setError(page.error);
      return;
    }
    setError(undefined);
    setReadAt(Date.now());
    setAlerts((shown) => mergeNewest(page.value, shown ?? []));
    if (pagesLoaded.current <= 1) {
      pagesLoaded.current = 1;
      setHasOlder(page.value.length === pageSize);
    }
  }, [service, pageSize]);

  const loadOlder = useCallback(async () => {
    const last = alerts?.at(-1);
    if (!last) return;
    setLoadingOlder(true);
    const page = await service.getFleetAlerts({ limit: pageSize, beforeId: last.id });
    setLoadingOlder(false);
    if (!page.ok) {
      setError(page.error);
      return;
    }
    setError(undefined);
    pagesLoaded.current++;
    setAlerts((shown) => [...(shown ?? []), ...page.value.filter((a) => a.id < last.id)]);
    setHasOlder(page.value.length === pageSize);
  }, [service, pageSize, alerts]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), refreshMs);
    return () => clearInterval(timer);
  }, [refresh, refreshMs]);

  return { alerts, hasOlder, error, loadingOlder, readAt, loadOlder };
}
