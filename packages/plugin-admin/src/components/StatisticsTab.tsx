import type { ResolverStats } from '@cartae/marketplace-resolver';
import { Suspense } from 'react';
import type { UsageSample } from '../model/usage-samples.ts';
import type { MarketplaceConfigService } from '../service/marketplace-config-service.ts';
import { FleetUsagePanel } from './FleetUsagePanel.tsx';
import { UsageStatsPanel } from './lazy-charts.ts';

/**
 * Statistics: the fleet's figures, then this browser's own resolver below. `samples` come from the
 * panel, which keeps them while other tabs are open.
 */
export function StatisticsTab(props: {
  service: MarketplaceConfigService;
  getStats: () => ResolverStats | undefined;
  samples?: readonly UsageSample[];
}) {
  return (
    <>
      <FleetUsagePanel service={props.service} />
      <Suspense fallback={<p aria-busy="true">Loading this browser's statistics…</p>}>
        <UsageStatsPanel getStats={props.getStats} {...(props.samples ? { samples: props.samples } : {})} />
      </Suspense>
    </>
  );
}
