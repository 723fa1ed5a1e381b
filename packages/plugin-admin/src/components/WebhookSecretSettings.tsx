import { useId, useState } from 'react';
import { generateWebhookSecret } from '../model/webhook-secret.ts';
import type { ProposeSettings } from './automation-proposal.ts';

/**
 * The webhook secret, write-only: "set" or "not set", a field for a new one (hidden as typed; a
 * generated one is shown until it is saved, for copying into the receiver), and "Remove secret".
 */
export function WebhookSecretSettings(props: {
  isSet: boolean;
  error: string | undefined;
  propose: ProposeSettings;
  /** The admin edits the field again: its refusal no longer applies. */
  onEdit: () => void;
}) {
  const [secret, setSecret] = useState('');
  const [generated, setGenerated] = useState(false);
  const [copied, setCopied] = useState(false);
  const id = useId();
  const clear = () => {
    setSecret('');
    setGenerated(false);
    setCopied(false);
  };
  const describedBy = [props.error ? `${id}-error` : '', `${id}-hint`].filter(Boolean).join(' ');

  return (
    <fieldset>
      <legend>Webhook secret</legend>
      <p>
        Secret: <strong>{props.isSet ? 'set' : 'not set'}</strong>
        {props.isSet ? ' — alerts are signed' : ' — alerts are sent unsigned'}
      </p>
      <p id={`${id}-hint`} className="cartae-admin__hint">
        {generated
          ? 'Copy it now into the receiver: once saved it is never shown again.'
          : 'The receiver checks each alert’s HMAC signature with it. 16 to 256 characters; nobody can read it back.'}
      </p>
      <div className="cartae-admin__field">
        <label htmlFor={`${id}-secret`}>New webhook secret</label>
        <input
          id={`${id}-secret`}
          type={generated ? 'text' : 'password'}
          autoComplete="new-password"
          spellCheck={false}
          value={secret}
          onChange={(e) => {
            setSecret(e.target.value);
            setGenerated(false);
            props.onEdit();
          }}
          aria-describedby={describedBy}
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
          onClick={() => {
            setSecret(generateWebhookSecret());
            setGenerated(true);
            setCopied(false);
            props.onEdit();
          }}
        >
          Generate a secret
        </button>
        {generated && (
          <button
            type="button"
            onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true))}
          >
            {copied ? 'Copied' : 'Copy secret'}
          </button>
        )}
        <button
          type="button"
          disabled={secret === ''}
          onClick={() =>
            props.propose({
              change: { webhookSecret: secret },
              field: 'webhookSecret',
              title: props.isSet ? 'Replace the webhook secret?' : 'Sign alerts with this secret?',
              confirmLabel: props.isSet ? 'Replace secret' : 'Set secret',
              effect:
                'From the next alert on, alerts are signed with the new secret: the receiver must have it, or it will refuse them.',
              onSaved: clear,
            })
          }
        >
          {props.isSet ? 'Replace secret' : 'Set secret'}
        </button>
        {props.isSet && (
          <button
            type="button"
            onClick={() =>
              props.propose({
                change: { webhookSecret: null },
                field: 'webhookSecret',
                title: 'Remove the webhook secret?',
                confirmLabel: 'Remove secret',
                effect: 'Alerts are sent unsigned: a receiver that checks signatures will refuse them.',
              })
            }
          >
            Remove secret
          </button>
        )}
      </div>
    </fieldset>
  );
}
