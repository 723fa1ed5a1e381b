import { Suspense, useId, useMemo, useState } from 'react';
import { FLEET_EMPTY_MESSAGE, fleetWindowName } from '../model/fleet-rows.ts';
import { summarizeFleet } from '../model/fleet-summary.ts';
import type { MarketplaceConfigService } from '../service/marketplace-config-service.ts';
import { FleetFacts } from './FleetFacts.tsx';
import { FleetSourceTable } from './FleetSourceTable.tsx';
import { FLEET_WINDOWS, FleetWindowToggle } from './FleetWindowToggle.tsx';
import { FleetUsageChart } from './lazy-charts.ts';
import { useFleetUsage } from './use-fleet-usage.ts';

/**
 * What the installed apps reported over the last hour or day, from the control plane: per source
 * requests, error and 429 shares, fallbacks, latency and the lowest quota; active installs and how
 * many follow the current config version; requests, errors and 429s per minute.
 */
export function FleetUsagePanel(props: { service: MarketplaceConfigService; refreshMs?: number }) {
  const [minutes, setMinutes] = useState<number>(FLEET_WINDOWS[0].minutes);
  const { reading, error, loading, refresh } = useFleetUsage(props.service, minutes, props.refreshMs);
  const summary = useMemo(() => reading && summarizeFleet(reading.usage, reading.currentVersion), [reading]);
  const headingId = useId();
  const windowName = fleetWindowName(minutes);

  return (
    <section aria-labelledby={headingId} className="cartae-admin__section cartae-admin__fleet">
      <div className="cartae-admin__section-head">
        <h2 id={headingId}>Fleet — {windowName}</h2>
        <FleetWindowToggle minutes={minutes} onChange={setMinutes} />
        <button type="button" onClick={() => void refresh()} disabled={loading}>
          {loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <p className="cartae-admin__hint">
        What the installed apps reported to the control plane, summed per minute
        {reading ? ` · read at ${new Date(reading.readAt).toLocaleTimeString()}` : ''}
      </p>
      {error && (
        <p role="alert" className="cartae-admin__bad">
          Fleet usage could not be {reading ? 'refreshed' : 'loaded'}: {error.message}
        </p>
      )}
      {!summary && !error && <p aria-busy="true">Loading fleet usage…</p>}
      {summary?.empty && <p>{FLEET_EMPTY_MESSAGE}</p>}
      {reading && summary && !summary.empty && (
        <>
          <FleetFacts summary={summary} />
          <FleetSourceTable sources={summary.sources} windowName={windowName} />
          <Suspense fallback={<p aria-busy="true">Loading the chart…</p>}>
            <FleetUsageChart usage={reading.usage} />
          </Suspense>
        </>
      )}
    </section>
  );
}
