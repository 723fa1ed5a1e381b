import { useId, useState } from 'react';
import { describeChanges } from '../model/history-changes.ts';
import { isAutomaticOrigin, originLabel } from '../model/history-evidence.ts';
import { presetOf } from '../model/source-presets.ts';
import type { HistoryEntry } from '../service/marketplace-config-service.ts';
import { ChangeList } from './ChangeList.tsx';
import { HistoryEvidence } from './HistoryEvidence.tsx';
import { Icon } from './Icon.tsx';

/** The source a document names, as the switches name it (`Hybrid (CDN → Git)`). */
export const sourceNameOf = (doc: Record<string, unknown>) => presetOf(doc)?.name ?? String(doc.type);

/**
 * One version in the history: who, when, origin, reason, what it changed in words, a "Current"
 * badge on the version in force, and for the others "Compare with current" (what rolling back
 * would change) and "Roll back to this".
 */
export function HistoryEntryCard(props: {
  entry: HistoryEntry;
  /** The document in force now; undefined while it loads. */
  current: Record<string, unknown> | undefined;
  isCurrent: boolean;
  onRollback: (entry: HistoryEntry) => void;
}) {
  const { entry, isCurrent } = props;
  const [comparing, setComparing] = useState(false);
  const compareId = useId();
  const automatic = isAutomaticOrigin(entry.origin);
  const who = entry.changedByName
    ? `${entry.changedByName} (${entry.changedByEmail})`
    : (entry.changedByEmail ?? (automatic ? undefined : 'the system'));
  return (
    <li aria-label={`Version ${entry.version}${isCurrent ? ' (current)' : ''}`} data-current={isCurrent}>
      <div className="cartae-admin__entry-head">
        <h3>
          Version {entry.version} · {sourceNameOf(entry.newValue)}
        </h3>
        {isCurrent && (
          <span className="cartae-admin__badge">
            <Icon name="current" decorative /> Current
          </span>
        )}
      </div>
      <p className="cartae-admin__meta">
        {new Date(entry.changedAt).toLocaleString()} ·{' '}
        {automatic ? (
          <strong>
            <Icon name="automatic" decorative />
            {originLabel(entry.origin)}
          </strong>
        ) : (
          originLabel(entry.origin)
        )}
        {who ? ` by ${who}` : ''}
        {entry.reason ? ` · “${entry.reason}”` : ''}
      </p>
      {(automatic || entry.evidence != null) && (
        <HistoryEvidence evidence={entry.evidence} version={entry.version} />
      )}
      {entry.oldValue ? (
        <ChangeList
          changes={describeChanges(entry.oldValue, entry.newValue)}
          label={`Changes in version ${entry.version}`}
          empty="This version changed no setting."
        />
      ) : (
        <p className="cartae-admin__hint">The first version: installed with these settings.</p>
      )}
      {!isCurrent && (
        <div className="cartae-admin__buttons">
          <button
            type="button"
            aria-expanded={comparing}
            aria-controls={compareId}
            disabled={!props.current}
            onClick={() => setComparing((c) => !c)}
          >
            {comparing ? 'Hide comparison' : 'Compare with current'}
          </button>
          <button
            type="button"
            onClick={() => props.onRollback(entry)}
            aria-label={`Roll back to version ${entry.version}`}
          >
            Roll back to this
          </button>
        </div>
      )}
      {!isCurrent && comparing && props.current && (
        <section id={compareId} aria-label={`Version ${entry.version} compared with current`}>
          <p className="cartae-admin__compare-title">Rolling back to version {entry.version} would change:</p>
          <ChangeList
            changes={describeChanges(props.current, entry.newValue)}
            label={`From current to version ${entry.version}`}
            empty="Nothing: this version has the current settings."
          />
        </section>
      )}
    </li>
  );
}
