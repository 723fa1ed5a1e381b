import { ROLLOUT_GUARD_DEFAULTS } from '@cartae/marketplace-core';
import { useId } from 'react';
import type { RolloutGuardDraft } from '../model/rollout-draft.ts';
import { DraftField } from './DraftField.tsx';
import { fieldErrors } from './field-errors.tsx';

const DEFAULT_RULE = `on, ${ROLLOUT_GUARD_DEFAULTS.errorPercent} % errors over ${ROLLOUT_GUARD_DEFAULTS.windowMinutes} min`;

/**
 * The guarded rollout's settings in the Marketplace form (`rolloutGuard`): on/off, the error limit
 * and how long a change is watched. When the document has none, the form shows the database's
 * defaults and says so.
 */
export function RolloutGuardSettings(props: {
  value: RolloutGuardDraft;
  onChange: (value: RolloutGuardDraft) => void;
  errors: Record<string, string>;
  /** The document has no `rolloutGuard`: the control plane applies the defaults. */
  absent: boolean;
}) {
  const { value } = props;
  const id = useId();
  const set = (patch: Partial<RolloutGuardDraft>) => props.onChange({ ...value, ...patch });
  const errors = fieldErrors(id, props.errors);
  const { invalid, error } = errors;

  return (
    <fieldset>
      <legend>Rollout guard</legend>
      <p className="cartae-admin__hint">
        After each change the control plane watches the sources it sends traffic to; if their share of errors
        passes the limit within the window, it rolls the change back (“Automatic rollback” in the history).
        {props.absent ? ` Not set in the config: the default applies (${DEFAULT_RULE}).` : ''}
      </p>
      <label className="cartae-admin__check">
        <input
          type="checkbox"
          checked={value.enabled}
          onChange={(e) => set({ enabled: e.target.checked })}
          {...invalid('rolloutGuard.enabled')}
        />
        Roll a change back automatically when its sources fail
      </label>
      {error('rolloutGuard.enabled')}
      <DraftField
        id={`${id}-percent`}
        label="Error limit (% of requests)"
        field="rolloutGuard.errorPercent"
        value={value.errorPercent}
        onChange={(errorPercent) => set({ errorPercent })}
        placeholder={String(ROLLOUT_GUARD_DEFAULTS.errorPercent)}
        inputMode="decimal"
        min={0}
        max={100}
        errors={errors}
      />
      <DraftField
        id={`${id}-window`}
        label="Watch each change for (minutes)"
        field="rolloutGuard.windowMinutes"
        value={value.windowMinutes}
        onChange={(windowMinutes) => set({ windowMinutes })}
        placeholder={String(ROLLOUT_GUARD_DEFAULTS.windowMinutes)}
        inputMode="numeric"
        min={1}
        max={1440}
        errors={errors}
      />
      {error('rolloutGuard')}
    </fieldset>
  );
}
