import { useId } from 'react';
import { AUTO_SWITCH_DEFAULTS, type AutoSwitchDraft } from '../model/config-draft.ts';
import { SOURCE_PRESETS } from '../model/source-presets.ts';
import { DraftField } from './DraftField.tsx';
import { fieldErrors } from './field-errors.tsx';

/**
 * The automatic switch's settings in the Marketplace form: on/off, threshold, window and target.
 * Errors are keyed as `documentFromDraft` keys them (`autoSwitch.windowMinutes`), and `autoSwitch`
 * for what the database refused.
 */
export function AutoSwitchSettings(props: {
  value: AutoSwitchDraft;
  onChange: (value: AutoSwitchDraft) => void;
  errors: Record<string, string>;
}) {
  const { value } = props;
  const id = useId();
  const set = (patch: Partial<AutoSwitchDraft>) => props.onChange({ ...value, ...patch });
  const errors = fieldErrors(id, props.errors);
  const { invalid, error } = errors;

  return (
    <fieldset>
      <legend>Automatic switch on Git rate limits</legend>
      <p className="cartae-admin__hint">
        The control plane checks the fleet's reports every minute and switches once, then waits an hour.
      </p>
      <label className="cartae-admin__check">
        <input
          type="checkbox"
          checked={value.enabled}
          onChange={(e) => set({ enabled: e.target.checked })}
          {...invalid('autoSwitch.enabled')}
        />
        Switch automatically when Git is rate-limited
      </label>
      {error('autoSwitch.enabled')}
      <DraftField
        id={`${id}-percent`}
        label="Threshold (% of requests and of installs rate-limited)"
        field="autoSwitch.rateLimitedPercent"
        value={value.rateLimitedPercent}
        onChange={(rateLimitedPercent) => set({ rateLimitedPercent })}
        placeholder={String(AUTO_SWITCH_DEFAULTS.rateLimitedPercent)}
        inputMode="decimal"
        min={0}
        max={100}
        errors={errors}
      />
      <DraftField
        id={`${id}-window`}
        label="Window (minutes)"
        field="autoSwitch.windowMinutes"
        value={value.windowMinutes}
        onChange={(windowMinutes) => set({ windowMinutes })}
        placeholder={String(AUTO_SWITCH_DEFAULTS.windowMinutes)}
        inputMode="numeric"
        min={1}
        max={1440}
        errors={errors}
      />
      <div className="cartae-admin__field">
        <label htmlFor={`${id}-target`}>Switch to</label>
        <select
          id={`${id}-target`}
          value={value.target}
          onChange={(e) => set({ target: e.target.value })}
          {...invalid('autoSwitch.target')}
        >
          {SOURCE_PRESETS.map((preset) => (
            <option key={preset.id} value={preset.id}>
              {preset.label}
            </option>
          ))}
        </select>
        {error('autoSwitch.target')}
      </div>
      {error('autoSwitch')}
    </fieldset>
  );
}
