import { useId, useState } from 'react';
import type { ProposeSettings } from './automation-proposal.ts';

/**
 * The alert webhook's URL: the current one as the control plane shows it (scheme and host only:
 * a Slack webhook's path is its credential), a field for a new one, and "Remove webhook".
 */
export function WebhookUrlSettings(props: {
  current: string | null;
  error: string | undefined;
  propose: ProposeSettings;
  /** The admin edits the field again: its refusal no longer applies. */
  onEdit: () => void;
}) {
  const [url, setUrl] = useState('');
  const id = useId();
  return (
    <fieldset>
      <legend>Alert webhook</legend>
      <p>
        Current: <strong>{props.current ?? 'none'}</strong>
        {props.current ? '' : ' — alerts go to the feed only'}
      </p>
      <p id={`${id}-hint`} className="cartae-admin__hint">
        Every alert is POSTed there as JSON (Slack shows its text). Only the scheme and host are shown back.
      </p>
      <div className="cartae-admin__field">
        <label htmlFor={`${id}-url`}>New webhook URL</label>
        <input
          id={`${id}-url`}
          type="url"
          inputMode="url"
          autoComplete="off"
          placeholder="https://hooks.slack.com/services/…"
          value={url}
          onChange={(e) => {
            setUrl(e.target.value);
            props.onEdit();
          }}
          aria-describedby={props.error ? `${id}-error` : `${id}-hint`}
          {...(props.error ? { 'aria-invalid': true } : {})}
        />
        {props.error && (
          <span id={`${id}-error`} className="cartae-admin__field-error">
            {props.error}
          </span>
        )}
      </div>
      <div className="cartae-admin__buttons">
        <button
          type="button"
          disabled={url.trim() === ''}
          onClick={() =>
            props.propose({
              field: 'webhookUrl',
              change: { webhookUrl: url.trim() },
              title: 'Send alerts to this webhook?',
              confirmLabel: 'Set webhook URL',
              effect: 'From the next alert on, the control plane POSTs every alert to this URL.',
              onSaved: () => setUrl(''),
            })
          }
        >
          {props.current ? 'Replace webhook URL' : 'Set webhook URL'}
        </button>
        {props.current && (
          <button
            type="button"
            onClick={() =>
              props.propose({
                field: 'webhookUrl',
                change: { webhookUrl: null },
                title: 'Remove the alert webhook?',
                confirmLabel: 'Remove webhook',
                effect: 'Alerts are no longer sent anywhere; they are still kept in the feed.',
              })
            }
          >
            Remove webhook
          </button>
        )}
      </div>
    </fieldset>
  );
}
