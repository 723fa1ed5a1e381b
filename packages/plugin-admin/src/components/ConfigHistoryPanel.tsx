import { useCallback, useEffect, useState } from 'react';
import { diffConfig, formatValue } from '../model/config-diff.ts';
import { isAutomaticOrigin, originLabel } from '../model/history-evidence.ts';
import { presetOf } from '../model/source-presets.ts';
import type { AdminError } from '../service/admin-error.ts';
import type {
  ControlPlaneConfig,
  HistoryEntry,
  MarketplaceConfigService,
} from '../service/marketplace-config-service.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { HistoryEvidence } from './HistoryEvidence.tsx';

/** Every change: who, when, origin, reason and a readable diff; "Roll back to this" with a confirmation. */
export function ConfigHistoryPanel(props: {
  service: MarketplaceConfigService;
  onRolledBack?: (config: ControlPlaneConfig) => void;
  /** Bumped by the host after a save elsewhere, to reload. */
  refreshKey?: number;
}) {
  const { service } = props;
  const [entries, setEntries] = useState<HistoryEntry[]>();
  const [error, setError] = useState<AdminError>();
  const [target, setTarget] = useState<HistoryEntry>();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'saved' | 'error'; text: string }>();

  const load = useCallback(async () => {
    const result = await service.history({ limit: 50 });
    if (result.ok) {
      setEntries(result.value);
      setError(undefined);
    } else setError(result.error);
  }, [service]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey is the reload signal
  useEffect(() => {
    void load();
  }, [load, props.refreshKey]);

  async function rollback() {
    if (!target) return;
    setBusy(true);
    const result = await service.rollback(target.id, reason || `roll back to version ${target.version}`);
    setBusy(false);
    setTarget(undefined);
    setReason('');
    if (result.ok) {
      setNotice({
        kind: 'saved',
        text: `Rolled back: the configuration of version ${target.version} is now version ${result.value.version}.`,
      });
      props.onRolledBack?.(result.value);
      await load();
    } else setNotice({ kind: 'error', text: result.error.message });
  }

  if (error && !entries) {
    return (
      <div role="alert" className="cartae-admin__bad">
        The history could not be loaded: {error.message}
      </div>
    );
  }
  if (!entries) return <p aria-busy="true">Loading the history…</p>;

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
        {entries.map((entry, index) => {
          const automatic = isAutomaticOrigin(entry.origin);
          const who = entry.changedByName
            ? `${entry.changedByName} (${entry.changedByEmail})`
            : (entry.changedByEmail ?? (automatic ? undefined : 'the system'));
          const changes = diffConfig(entry.oldValue, entry.newValue);
          return (
            <li key={entry.id} aria-label={`Version ${entry.version}`}>
              <h3>
                Version {entry.version} · {presetOf(entry.newValue)?.name ?? String(entry.newValue.type)}
              </h3>
              <p>
                {new Date(entry.changedAt).toLocaleString()} ·{' '}
                {automatic ? <strong>{originLabel(entry.origin)}</strong> : originLabel(entry.origin)}
                {who ? ` by ${who}` : ''}
                {entry.reason ? ` · “${entry.reason}”` : ''}
              </p>
              {(automatic || entry.evidence != null) && (
                <HistoryEvidence evidence={entry.evidence} version={entry.version} />
              )}
              {changes.length > 0 && entry.oldValue && (
                <table className="cartae-admin__diff">
                  <caption className="cartae-admin__visually-hidden">
                    Changes in version {entry.version}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Field</th>
                      <th scope="col">Before</th>
                      <th scope="col">After</th>
                    </tr>
                  </thead>
                  <tbody>
                    {changes.map((c) => (
                      <tr key={c.path}>
                        <th scope="row">
                          <code>{c.path}</code>
                        </th>
                        <td>
                          <del>{formatValue(c.before)}</del>
                        </td>
                        <td>
                          <ins>{formatValue(c.after)}</ins>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {index > 0 && (
                <button
                  type="button"
                  onClick={() => setTarget(entry)}
                  aria-label={`Roll back to version ${entry.version}`}
                >
                  Roll back to this
                </button>
              )}
            </li>
          );
        })}
      </ol>
      {target && (
        <ConfirmDialog
          title={`Roll back to version ${target.version}?`}
          confirmLabel="Roll back"
          onConfirm={() => void rollback()}
          onCancel={() => setTarget(undefined)}
          busy={busy}
        >
          <p>
            Every installed app returns to {presetOf(target.newValue)?.name ?? String(target.newValue.type)}{' '}
            as configured in version {target.version}, within the cache TTL. This is recorded as a new
            version.
          </p>
          <label>
            Reason <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
        </ConfirmDialog>
      )}
    </section>
  );
}
