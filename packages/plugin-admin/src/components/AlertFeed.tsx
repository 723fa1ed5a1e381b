import { useId } from 'react';
import { ALERT_FEED_EMPTY_MESSAGE } from '../model/fleet-alerts.ts';
import type { MarketplaceConfigService } from '../service/marketplace-config-service.ts';
import { AlertFeedItem } from './AlertFeedItem.tsx';
import { ALERT_PAGE_SIZE, useFleetAlerts } from './use-fleet-alerts.ts';

/**
 * The alert feed (`get_fleet_alerts`): what the control plane did on its own, what went wrong or
 * recovered across the fleet, and every change of the automation settings — newest first, read
 * every minute with the rest of Monitoring, older entries on demand.
 */
export function AlertFeed(props: {
  service: MarketplaceConfigService;
  pageSize?: number;
  refreshMs?: number;
}) {
  const { alerts, hasOlder, error, loadingOlder, readAt, loadOlder } = useFleetAlerts(
    props.service,
    props.pageSize ?? ALERT_PAGE_SIZE,
    props.refreshMs,
  );
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="cartae-admin__section cartae-admin__alerts">
      <h2 id={headingId}>Alerts</h2>
      <p className="cartae-admin__hint">
        Also sent to the alert webhook when one is set (Automation tab). Newest first.
      </p>
      {error && (
        <p role="alert" className="cartae-admin__bad">
          The alerts could not be {alerts ? 'refreshed' : 'loaded'}: {error.message}
        </p>
      )}
      {!alerts && !error && <p aria-busy="true">Loading the alerts…</p>}
      {alerts?.length === 0 && <p>{ALERT_FEED_EMPTY_MESSAGE}</p>}
      {alerts && alerts.length > 0 && (
        <ol className="cartae-admin__alert-list" aria-label="Alerts, newest first">
          {alerts.map((alert) => (
            <AlertFeedItem key={alert.id} alert={alert} now={readAt} />
          ))}
        </ol>
      )}
      {alerts && hasOlder && (
        <button type="button" onClick={() => void loadOlder()} disabled={loadingOlder}>
          {loadingOlder ? 'Loading older alerts…' : 'Load older alerts'}
        </button>
      )}
    </section>
  );
}
