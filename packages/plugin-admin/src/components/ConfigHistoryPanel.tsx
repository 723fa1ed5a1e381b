import { useCallback, useEffect, useState } from 'react';
import type { AdminError } from '../service/admin-error.ts';
import type {
  ControlPlaneConfig,
  HistoryEntry,
  MarketplaceConfigService,
} from '../service/marketplace-config-service.ts';
import { HistoryEntryCard } from './HistoryEntryCard.tsx';
import { RollbackReview } from './RollbackReview.tsx';

/** Versions shown at first and added by each "Load older versions". */
export const HISTORY_PAGE_SIZE = 10;

/**
 * Every change, newest first, a page at a time: who, when, origin, reason and what changed in
 * words; "Current" on the version in force; "Compare with current" and "Roll back to this" (with
 * a confirmation that shows what the rollback changes) on the others.
 */
export function ConfigHistoryPanel(props: {
  service: MarketplaceConfigService;
  onRolledBack?: (config: ControlPlaneConfig) => void;
  /** Bumped by the host after a change anywhere in the panel, to reload. */
  refreshKey?: number;
  pageSize?: number;
}) {
  const { service } = props;
  const pageSize = props.pageSize ?? HISTORY_PAGE_SIZE;
  const [entries, setEntries] = useState<HistoryEntry[]>();
  const [current, setCurrent] = useState<ControlPlaneConfig>();
  const [more, setMore] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [error, setError] = useState<AdminError>();
  const [target, setTarget] = useState<HistoryEntry>();
  const [notice, setNotice] = useState<{ kind: 'saved' | 'error'; text: string }>();

  const load = useCallback(async () => {
    const [page, now] = await Promise.all([service.history({ limit: pageSize }), service.get()]);
    if (now.ok) setCurrent(now.value);
    if (page.ok) {
      setEntries(page.value);
      setMore(page.value.length === pageSize);
      setError(undefined);
    } else setError(page.error);
  }, [service, pageSize]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey is the reload signal
  useEffect(() => {
    void load();
  }, [load, props.refreshKey]);

  async function loadOlder() {
    const last = entries?.at(-1);
    if (!last) return;
    setLoadingOlder(true);
    const page = await service.history({ limit: pageSize, beforeId: last.id });
    setLoadingOlder(false);
    if (!page.ok) return setNotice({ kind: 'error', text: page.error.message });
    setEntries((list) => [...(list ?? []), ...page.value]);
    setMore(page.value.length === pageSize);
  }

  function rolledBack(done: { kind: 'ok' | 'error' | 'info'; text: string }, config?: ControlPlaneConfig) {
    setTarget(undefined);
    setNotice({ kind: done.kind === 'error' ? 'error' : 'saved', text: done.text });
    if (config?.changed) props.onRolledBack?.(config);
    void load();
  }

  if (error && !entries) {
    return (
      <div role="alert" className="cartae-admin__bad">
        The history could not be loaded: {error.message}
      </div>
    );
  }
  if (!entries) return <p aria-busy="true">Loading the history…</p>;
  // Every write makes a history entry, so the newest one holds the version in force.
  const currentVersion = current?.version ?? entries[0]?.version;

  return (
    <section aria-labelledby="cartae-admin-history-heading" className="cartae-admin__section">
      <h2 id="cartae-admin-history-heading">History</h2>
      {notice && (
        <p
          role={notice.kind === 'error' ? 'alert' : 'status'}
          className={notice.kind === 'error' ? 'cartae-admin__bad' : 'cartae-admin__ok'}
        >
          {notice.text}
        </p>
      )}
      <ol className="cartae-admin__history" aria-label="Configuration changes, newest first">
        {entries.map((entry) => (
          <HistoryEntryCard
            key={entry.id}
            entry={entry}
            current={current?.document}
            isCurrent={entry.version === currentVersion}
            onRollback={setTarget}
          />
        ))}
      </ol>
      {more ? (
        <button type="button" onClick={() => void loadOlder()} disabled={loadingOlder}>
          {loadingOlder ? 'Loading older versions…' : 'Load older versions'}
        </button>
      ) : (
        <p className="cartae-admin__hint">That is every version, back to the first.</p>
      )}
      {target && current && (
        <RollbackReview
          service={service}
          target={target}
          current={current}
          onCancel={() => setTarget(undefined)}
          onDone={rolledBack}
        />
      )}
    </section>
  );
}
