import type { UrlPolicy } from '@cartae/marketplace-core';
import type { ResolverStats, SourceCheck } from '@cartae/marketplace-resolver';
import { useCallback, useEffect, useId, useState } from 'react';
import type { AdminError } from '../service/admin-error.ts';
import type { MarketplaceConfigService } from '../service/marketplace-config-service.ts';
import { AdminsTab } from './AdminsTab.tsx';
import { AdminTabList } from './AdminTabList.tsx';
import { AutomationTab } from './AutomationTab.tsx';
import { ConfigHistoryPanel } from './ConfigHistoryPanel.tsx';
import { MarketplaceSourceControl } from './MarketplaceSourceControl.tsx';
import { MonitoringTab } from './MonitoringTab.tsx';
import { StatisticsTab } from './StatisticsTab.tsx';
import { useUsageSamples } from './use-usage-samples.ts';

/** What the panel needs of a resolver: health checks, stats, and a reload after a save. */
export interface AdminResolver {
  checkHealth(): Promise<readonly SourceCheck[]>;
  getStats(): ResolverStats;
  reloadConfig(): Promise<unknown>;
}

const TABS = [
  { id: 'marketplace', label: 'Marketplace' },
  { id: 'automation', label: 'Automation' },
  { id: 'monitoring', label: 'Monitoring' },
  { id: 'statistics', label: 'Statistics' },
  { id: 'history', label: 'History' },
  { id: 'admins', label: 'Admins' },
] as const;
type TabId = (typeof TABS)[number]['id'];

/**
 * The admin plugin's main view: tabs Marketplace, Automation, Monitoring, Statistics, History,
 * Admins. A change made in any tab reloads the history and the resolver; the Statistics chart is
 * sampled here, so its series survives tab switches. Someone who is not a marketplace admin is
 * told so and sees no controls.
 */
export function AdminPanel(props: {
  service: MarketplaceConfigService;
  resolver?: AdminResolver;
  urlPolicy?: UrlPolicy;
  initialTab?: TabId;
}) {
  const { service, resolver } = props;
  const [tab, setTab] = useState<TabId>(props.initialTab ?? 'marketplace');
  const [access, setAccess] = useState<'checking' | 'admin' | 'refused' | AdminError>('checking');
  const [savedCount, setSavedCount] = useState(0);
  const baseId = useId();

  useEffect(() => {
    let live = true;
    void service.isAdmin().then((r) => {
      if (live) setAccess(r.ok ? (r.value ? 'admin' : 'refused') : r.error);
    });
    return () => {
      live = false;
    };
  }, [service]);

  const onSaved = useCallback(() => {
    setSavedCount((n) => n + 1);
    void resolver?.reloadConfig();
  }, [resolver]);
  const checkHealth = useCallback(async () => (resolver ? resolver.checkHealth() : []), [resolver]);
  const getStats = useCallback(() => {
    const r = service.usageSummary();
    return r.ok ? r.value : undefined;
  }, [service]);
  const usage = useUsageSamples(access === 'admin' ? getStats : undefined);

  if (access === 'checking') return <p aria-busy="true">Checking your access…</p>;
  if (access === 'refused' || typeof access === 'object') {
    return (
      <div role="alert" className="cartae-admin cartae-admin__refused">
        <h1>Marketplace admin</h1>
        <p>
          {access === 'refused'
            ? 'You are signed in, but you are not a marketplace admin, so you cannot see or change where the fleet fetches its marketplace. Ask an existing admin to add you.'
            : access.message}
        </p>
      </div>
    );
  }

  return (
    <div className="cartae-admin">
      <h1>Marketplace admin</h1>
      <AdminTabList
        tabs={TABS}
        selected={tab}
        onSelect={setTab}
        idOf={(id, part) => `${baseId}-${part}-${id}`}
      />
      {TABS.map((t) => (
        <div
          key={t.id}
          role="tabpanel"
          id={`${baseId}-panel-${t.id}`}
          aria-labelledby={`${baseId}-tab-${t.id}`}
          hidden={tab !== t.id}
        >
          {tab === t.id && t.id === 'marketplace' && (
            <MarketplaceSourceControl
              service={service}
              {...(props.urlPolicy ? { urlPolicy: props.urlPolicy } : {})}
              onSaved={onSaved}
            />
          )}
          {tab === t.id && t.id === 'automation' && (
            <AutomationTab service={service} {...(props.urlPolicy ? { urlPolicy: props.urlPolicy } : {})} />
          )}
          {tab === t.id && t.id === 'monitoring' && (
            <MonitoringTab service={service} checkHealth={checkHealth} />
          )}
          {tab === t.id && t.id === 'statistics' && (
            <StatisticsTab service={service} getStats={getStats} samples={usage.samples} />
          )}
          {tab === t.id && t.id === 'history' && (
            <ConfigHistoryPanel service={service} refreshKey={savedCount} onRolledBack={onSaved} />
          )}
          {tab === t.id && t.id === 'admins' && <AdminsTab service={service} />}
        </div>
      ))}
    </div>
  );
}
