import type { FleetSettings } from '@cartae/marketplace-core';
import { useCallback, useEffect, useState } from 'react';
import type { AdminError } from '../service/admin-error.ts';
import type { MarketplaceConfigService } from '../service/marketplace-config-service.ts';

/** The fleet settings through the service: read on mount and on demand; `setSettings` after a save. */
export function useFleetSettings(service: MarketplaceConfigService) {
  const [settings, setSettings] = useState<FleetSettings>();
  const [error, setError] = useState<AdminError>();

  const load = useCallback(async () => {
    const result = await service.getFleetSettings();
    if (result.ok) {
      setSettings(result.value);
      setError(undefined);
    } else setError(result.error);
  }, [service]);

  useEffect(() => {
    void load();
  }, [load]);

  return { settings, error, load, setSettings };
}
