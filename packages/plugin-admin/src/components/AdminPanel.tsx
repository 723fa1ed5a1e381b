import type { UrlPolicy } from '@cartae/marketplace-core';
import type { ResolverStats, SourceCheck } from '@cartae/marketplace-resolver';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { AdminError } from '../service/admin-error.ts';
import type { MarketplaceConfigService } from '../service/marketplace-config-service.ts';
import { AutomationTab } from './AutomationTab.tsx';
import { ConfigHistoryPanel } from './ConfigHistoryPanel.tsx';
import { MarketplaceSourceControl } from './MarketplaceSourceControl.tsx';
import { MonitoringTab } from './MonitoringTab.tsx';
import { StatisticsTab } from './StatisticsTab.tsx';

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
] as const;
type TabId = (typeof TABS)[number]['id'];

/**
 * The admin plugin's main view: tabs Marketplace, Automation, Monitoring, Statistics, History (WAI-ARIA tabs:
 * arrow keys, Home and End move between them). Someone who is not a marketplace admin is told so
 * and sees no controls.
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
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});
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

  function onTabKey(event: React.KeyboardEvent, index: number) {
    const keys: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: TABS.length - 1,
    };
    const next = keys[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = TABS[(next + TABS.length) % TABS.length];
    if (!target) return;
    setTab(target.id);
    tabRefs.current[target.id]?.focus();
  }

  return (
    <div className="cartae-admin">
      <h1>Marketplace admin</h1>
      <div role="tablist" aria-label="Admin sections" className="cartae-admin__tabs">
        {TABS.map((t, index) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`${baseId}-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`${baseId}-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => onTabKey(e, index)}
          >
            {t.label}
          </button>
        ))}
      </div>
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
          {tab === t.id && t.id === 'statistics' && <StatisticsTab service={service} getStats={getStats} />}
          {tab === t.id && t.id === 'history' && (
            <ConfigHistoryPanel service={service} refreshKey={savedCount} onRolledBack={onSaved} />
          )}
        </div>
      ))}
    </div>
  );
}
