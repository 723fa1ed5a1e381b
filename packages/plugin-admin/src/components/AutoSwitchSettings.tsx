import { useId } from 'react';
import { AUTO_SWITCH_DEFAULTS, type AutoSwitchDraft } from '../model/config-draft.ts';
import { SOURCE_PRESETS } from '../model/source-presets.ts';
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
  const { invalid, error } = fieldErrors(id, props.errors);

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
      <div className="cartae-admin__field">
        <label htmlFor={`${id}-percent`}>Threshold (% of requests and of installs rate-limited)</label>
        <input
          id={`${id}-percent`}
          type="number"
          inputMode="decimal"
          min={0}
          max={100}
          placeholder={String(AUTO_SWITCH_DEFAULTS.rateLimitedPercent)}
          value={value.rateLimitedPercent}
          onChange={(e) => set({ rateLimitedPercent: e.target.value })}
          {...invalid('autoSwitch.rateLimitedPercent')}
        />
        {error('autoSwitch.rateLimitedPercent')}
      </div>
      <div className="cartae-admin__field">
        <label htmlFor={`${id}-window`}>Window (minutes)</label>
        <input
          id={`${id}-window`}
          type="number"
          inputMode="numeric"
          min={1}
          max={1440}
          placeholder={String(AUTO_SWITCH_DEFAULTS.windowMinutes)}
          value={value.windowMinutes}
          onChange={(e) => set({ windowMinutes: e.target.value })}
          {...invalid('autoSwitch.windowMinutes')}
        />
        {error('autoSwitch.windowMinutes')}
      </div>
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
