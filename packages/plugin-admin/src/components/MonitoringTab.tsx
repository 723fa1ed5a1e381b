import type { SourceCheck } from '@cartae/marketplace-resolver';
import type { MarketplaceConfigService } from '../service/marketplace-config-service.ts';
import { AlertFeed } from './AlertFeed.tsx';
import { AutoSwitchStatus } from './AutoSwitchStatus.tsx';
import { FleetUsagePanel } from './FleetUsagePanel.tsx';
import { SourceHealthMonitor } from './SourceHealthMonitor.tsx';

/**
 * Monitoring: the automation's state, what the fleet reports, the alert feed, then what this
 * browser sees when it asks each source.
 */
export function MonitoringTab(props: {
  service: MarketplaceConfigService;
  checkHealth: () => Promise<readonly SourceCheck[]>;
}) {
  return (
    <>
      <AutoSwitchStatus service={props.service} />
      <FleetUsagePanel service={props.service} />
      <AlertFeed service={props.service} />
      <SourceHealthMonitor checkHealth={props.checkHealth} />
    </>
  );
}
