import type { SourceCheck } from '@cartae/marketplace-resolver';
import { useEffect, useState } from 'react';
import type { MarketplaceConfigService } from '../service/marketplace-config-service.ts';
import { AlertFeed } from './AlertFeed.tsx';
import { AutoSwitchStatus } from './AutoSwitchStatus.tsx';
import { EdgeStatus } from './EdgeStatus.tsx';
import { FleetUsagePanel } from './FleetUsagePanel.tsx';
import { SourceHealthMonitor } from './SourceHealthMonitor.tsx';

/**
 * Monitoring: the automation's state, what the fleet reports, the alert feed, the CDN Worker as it
 * reports itself (mirror and registry version), then what this browser sees when it asks each source.
 */
export function MonitoringTab(props: {
  service: MarketplaceConfigService;
  checkHealth: () => Promise<readonly SourceCheck[]>;
  /** Reads the Worker's /health; the browser's fetch when absent. */
  fetchEdgeHealth?: (url: string) => Promise<unknown>;
}) {
  const [saved, setSaved] = useState<{ cloudflareUrl: string | undefined; version: number }>();
  useEffect(() => {
    let live = true;
    void props.service.get().then((current) => {
      if (!live || !current.ok) return;
      const url = current.value.document.cloudflareUrl;
      setSaved({ cloudflareUrl: typeof url === 'string' ? url : undefined, version: current.value.version });
    });
    return () => {
      live = false;
    };
  }, [props.service]);

  return (
    <>
      <AutoSwitchStatus service={props.service} />
      <FleetUsagePanel service={props.service} />
      <AlertFeed service={props.service} />
      <EdgeStatus
        pending={saved === undefined}
        cloudflareUrl={saved?.cloudflareUrl}
        configVersion={saved?.version}
        {...(props.fetchEdgeHealth ? { fetchHealth: props.fetchEdgeHealth } : {})}
      />
      <SourceHealthMonitor checkHealth={props.checkHealth} />
    </>
  );
}
