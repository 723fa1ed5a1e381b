import { originLabel } from '../model/history-evidence.ts';
import { presetOf } from '../model/source-presets.ts';
import type { ControlPlaneConfig, HistoryEntry } from '../service/marketplace-config-service.ts';

/** The Marketplace tab's header: the current source, the config version, when and by whom it last changed. */
export function CurrentSourceFacts(props: {
  current: ControlPlaneConfig;
  lastChange: HistoryEntry | undefined;
}) {
  const { current, lastChange } = props;
  const who = lastChange?.changedByName
    ? `${lastChange.changedByName} (${lastChange.changedByEmail})`
    : lastChange?.changedByEmail;
  return (
    <dl className="cartae-admin__facts">
      <div>
        <dt>Current source</dt>
        <dd>{presetOf(current.document)?.name ?? String(current.document.type)}</dd>
      </div>
      <div>
        <dt>Config version</dt>
        <dd>{current.version}</dd>
      </div>
      <div>
        <dt>Last changed</dt>
        <dd>
          {new Date(current.updatedAt).toLocaleString()}
          {who ? ` by ${who}` : lastChange ? ` (${originLabel(lastChange.origin)})` : ''}
        </dd>
      </div>
    </dl>
  );
}
