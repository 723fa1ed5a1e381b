import { diffConfig } from '../model/config-diff.ts';
import { settingName, settingValue } from '../model/config-setting-words.ts';
import type { ControlPlaneConfig } from '../service/marketplace-config-service.ts';

/**
 * Someone saved while the admin was editing: their version, how it differs from the admin's,
 * and the two ways on — save over it, or drop the edit and load theirs.
 */
export function ConflictReview(props: {
  theirs: ControlPlaneConfig;
  mine: Record<string, unknown>;
  onSaveMine: () => void;
  onDiscardMine: () => void;
}) {
  const { theirs } = props;
  return (
    <section aria-label="Conflicting change" className="cartae-admin__conflict">
      <h3>Version {theirs.version} was saved while you were editing</h3>
      <p>Their version differs from yours in:</p>
      <ul>
        {diffConfig(theirs.document, props.mine).map((c) => (
          <li key={c.path}>
            {settingName(c.path)}: theirs {settingValue(c.path, c.before)}, yours{' '}
            {settingValue(c.path, c.after)}
          </li>
        ))}
      </ul>
      <button type="button" onClick={props.onSaveMine}>
        Save mine over version {theirs.version}
      </button>{' '}
      <button type="button" onClick={props.onDiscardMine}>
        Discard mine and load version {theirs.version}
      </button>
    </section>
  );
}
