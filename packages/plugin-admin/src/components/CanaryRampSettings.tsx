import { useId } from 'react';
import { CANARY_RAMP_DEFAULTS, type CanaryRampDraft } from '../model/rollout-draft.ts';
import { DraftField } from './DraftField.tsx';
import { fieldErrors } from './field-errors.tsx';

/**
 * The scheduled canary ramp in the Marketplace form (`canaryRamp`): on/off, the steps as a comma
 * list and how long each holds. Only a hybrid source has a canary, so the controls are disabled,
 * with the reason, on any other type.
 */
export function CanaryRampSettings(props: {
  value: CanaryRampDraft;
  onChange: (value: CanaryRampDraft) => void;
  errors: Record<string, string>;
  hybrid: boolean;
}) {
  const { value, hybrid } = props;
  const id = useId();
  const set = (patch: Partial<CanaryRampDraft>) => props.onChange({ ...value, ...patch });
  const errors = fieldErrors(id, props.errors);
  const { invalid, error } = errors;

  return (
    <fieldset disabled={!hybrid} aria-describedby={`${id}-hint`}>
      <legend>Canary ramp (hybrid only)</legend>
      <p id={`${id}-hint`} className="cartae-admin__hint">
        Raises the canary percentage step by step: each step holds for the hold time, and the next is taken
        only while the rollout guard holds (“Canary promoted automatically” in the history). An automatic
        rollback stops the ramp until an admin changes the config.
        {hybrid ? '' : ' Only a hybrid source has a canary: switch to a hybrid first.'}
      </p>
      <label className="cartae-admin__check">
        <input
          type="checkbox"
          checked={value.enabled}
          onChange={(e) => set({ enabled: e.target.checked })}
          {...invalid('canaryRamp.enabled')}
        />
        Promote the canary automatically
      </label>
      {error('canaryRamp.enabled')}
      <DraftField
        id={`${id}-steps`}
        label="Steps (% of installs, comma-separated, ending at 100)"
        field="canaryRamp.steps"
        value={value.steps}
        onChange={(steps) => set({ steps })}
        placeholder={CANARY_RAMP_DEFAULTS.steps.join(', ')}
        inputMode="numeric"
        type="text"
        errors={errors}
      />
      <DraftField
        id={`${id}-hold`}
        label="Hold each step for (minutes)"
        field="canaryRamp.holdMinutes"
        value={value.holdMinutes}
        onChange={(holdMinutes) => set({ holdMinutes })}
        placeholder={String(CANARY_RAMP_DEFAULTS.holdMinutes)}
        inputMode="numeric"
        min={1}
        max={10080}
        errors={errors}
      />
      {error('canaryRamp')}
    </fieldset>
  );
}
