import { FLEET_SETTINGS_LIMITS, type SourceAlertRule } from '@cartae/marketplace-core';
import { useId, useState } from 'react';
import type { ProposeSettings } from './automation-proposal.ts';

const { sourceAlertErrorPercent, sourceAlertWindowMinutes } = FLEET_SETTINGS_LIMITS;
/** A number as typed, or the text itself so the validator refuses it with the database's words. */
const asNumber = (text: string) =>
  text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;

/** The fleet-wide source health rule: a source is unhealthy when its errors pass a share over a window. */
export function SourceAlertRuleSettings(props: {
  rule: SourceAlertRule;
  error: string | undefined;
  propose: ProposeSettings;
  /** The admin edits the field again: its refusal no longer applies. */
  onEdit: () => void;
}) {
  const [percent, setPercent] = useState(String(props.rule.errorPercent));
  const [minutes, setMinutes] = useState(String(props.rule.windowMinutes));
  const id = useId();
  const invalid = props.error ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {};

  return (
    <fieldset>
      <legend>Source health alert</legend>
      <p className="cartae-admin__hint">
        A source is unhealthy across the fleet when its errors pass this share of its requests over the window
        (with at least 20 installs and 100 requests); an alert says so, and another when it recovers.
      </p>
      <div className="cartae-admin__field">
        <label htmlFor={`${id}-percent`}>Unhealthy above (% of requests failing)</label>
        <input
          id={`${id}-percent`}
          type="number"
          inputMode="decimal"
          min={sourceAlertErrorPercent.min}
          max={sourceAlertErrorPercent.max}
          value={percent}
          onChange={(e) => {
            setPercent(e.target.value);
            props.onEdit();
          }}
          {...invalid}
        />
      </div>
      <div className="cartae-admin__field">
        <label htmlFor={`${id}-window`}>Over the last (minutes)</label>
        <input
          id={`${id}-window`}
          type="number"
          inputMode="numeric"
          min={sourceAlertWindowMinutes.min}
          max={sourceAlertWindowMinutes.max}
          value={minutes}
          onChange={(e) => {
            setMinutes(e.target.value);
            props.onEdit();
          }}
          {...invalid}
        />
      </div>
      {props.error && (
        <span id={`${id}-error`} className="cartae-admin__field-error">
          {props.error}
        </span>
      )}
      <div>
        <button
          type="button"
          onClick={() =>
            props.propose({
              change: { sourceAlert: { errorPercent: asNumber(percent), windowMinutes: asNumber(minutes) } },
              field: 'sourceAlert',
              title: 'Change the source health alert?',
              confirmLabel: 'Save the rule',
              effect:
                'From the next minute on, the control plane judges each source across the fleet by this rule.',
            })
          }
        >
          Save source health rule
        </button>
      </div>
    </fieldset>
  );
}
