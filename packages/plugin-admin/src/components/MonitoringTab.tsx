import type { SourceCheck } from '@cartae/marketplace-resolver';
import type { MarketplaceConfigService } from '../service/marketplace-config-service.ts';
import { FleetUsagePanel } from './FleetUsagePanel.tsx';
import { SourceHealthMonitor } from './SourceHealthMonitor.tsx';

/** Monitoring: what the fleet reports first, then what this browser sees when it asks each source. */
export function MonitoringTab(props: {
  service: MarketplaceConfigService;
  checkHealth: () => Promise<readonly SourceCheck[]>;
}) {
  return (
    <>
      <FleetUsagePanel service={props.service} />
      <SourceHealthMonitor checkHealth={props.checkHealth} />
    </>
  );
}
