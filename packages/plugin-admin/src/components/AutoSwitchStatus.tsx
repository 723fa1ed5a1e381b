import { useCallback, useEffect, useState } from 'react';
import {
  type AutoSwitchState,
  autoSwitchState,
  describeAutoSwitchState,
} from '../model/auto-switch-state.ts';
import { describePause } from '../model/fleet-settings-view.ts';
import type { AdminError } from '../service/admin-error.ts';
import type { MarketplaceConfigService } from '../service/marketplace-config-service.ts';

/**
 * "Automatic switch: paused by … since …" while the kill switch is on; otherwise "armed — switches to … when …", "off", "fired 12 min ago (v16), cooling down
 * until 3:45 PM", "already on its target": derived from the current config and the history,
 * read every minute (and on mount). Fleet settings that cannot be read (an older control plane)
 * leave the state as the config and history say.
 */
export function AutoSwitchStatus(props: { service: MarketplaceConfigService; refreshMs?: number }) {
  const { service, refreshMs = 60_000 } = props;
  const [reading, setReading] = useState<{
    state: AutoSwitchState;
    now: number /** By whom and since when, while the kill switch is on. */;
    paused?: string;
  }>();
  const [error, setError] = useState<AdminError>();

  const load = useCallback(async () => {
    const [config, history, settings] = await Promise.all([
      service.get(),
      service.history({ limit: 50 }),
      service.getFleetSettings(),
    ]);
    if (!config.ok || !history.ok) {
      setError(config.ok ? (history as { error: AdminError }).error : config.error);
      return;
    }
    const now = Date.now();
    setError(undefined);
    setReading({
      state: autoSwitchState(config.value.document, history.value, now),
      now,
      ...(settings.ok && settings.value.automationPaused
        ? { paused: describePause(settings.value, now) }
        : {}),
    });
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
  if (reading.paused !== undefined) {
    return (
      <p role="status" aria-label="Automatic switch" className="cartae-admin__automation" data-state="paused">
        <strong>Automatic switch: paused</strong>
        {reading.paused ? ` ${reading.paused}` : ''} — the whole fleet automation is paused: no automatic
        switch, rollback or canary promotion until an admin resumes it (Automation tab).
      </p>
    );
  }
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
