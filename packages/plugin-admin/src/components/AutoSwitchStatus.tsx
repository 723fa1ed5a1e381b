import { useCallback, useEffect, useState } from 'react';
import {
  type AutoSwitchState,
  autoSwitchState,
  describeAutoSwitchState,
} from '../model/auto-switch-state.ts';
import type { AdminError } from '../service/admin-error.ts';
import type { MarketplaceConfigService } from '../service/marketplace-config-service.ts';

/**
 * "Automatic switch: armed — switches to … when …", "off", "fired 12 min ago (v16), cooling down
 * until 3:45 PM", "already on its target": derived from the current config and the history,
 * read every minute (and on mount).
 */
export function AutoSwitchStatus(props: { service: MarketplaceConfigService; refreshMs?: number }) {
  const { service, refreshMs = 60_000 } = props;
  const [reading, setReading] = useState<{ state: AutoSwitchState; now: number }>();
  const [error, setError] = useState<AdminError>();

  const load = useCallback(async () => {
    const [config, history] = await Promise.all([service.get(), service.history({ limit: 50 })]);
    if (!config.ok || !history.ok) {
      setError(config.ok ? (history as { error: AdminError }).error : config.error);
      return;
    }
    const now = Date.now();
    setError(undefined);
    setReading({ state: autoSwitchState(config.value.document, history.value, now), now });
  }, [service]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), refreshMs);
    return () => clearInterval(timer);
  }, [load, refreshMs]);

  if (error && !reading) {
    return (
      <p role="alert" className="cartae-admin__bad">
        The automatic switch's state could not be read: {error.message}
      </p>
    );
  }
  if (!reading) return <p aria-busy="true">Reading the automatic switch…</p>;
  return (
    <p
      role="status"
      aria-label="Automatic switch"
      className="cartae-admin__automation"
      data-state={reading.state.kind}
    >
      <strong>Automatic switch:</strong> {describeAutoSwitchState(reading.state, reading.now)}
    </p>
  );
}
