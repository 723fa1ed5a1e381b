import { useId } from 'react';
import { ago } from '../model/auto-switch-state.ts';
import { type AlertTone, alertDetailRows, alertEventView, type FleetAlert } from '../model/fleet-alerts.ts';
import { Icon, type IconName } from './Icon.tsx';

const TONE_ICONS: Readonly<Record<AlertTone, IconName>> = {
  action: 'automatic',
  problem: 'error',
  recovered: 'ok',
  settings: 'edit',
};

/**
 * One alert: the event in words with an SVG icon of its kind beside it (its meaning never rests
 * on the icon or a colour), the local time and how long ago, the text, and "Show details" for the
 * figures behind it.
 */
export function AlertFeedItem(props: { alert: FleetAlert; now: number }) {
  const { alert, now } = props;
  const view = alertEventView(alert.event);
  const at = Date.parse(alert.at);
  const details = alertDetailRows(alert.details);
  const headingId = useId();
  return (
    <li className="cartae-admin__alert-item" data-tone={view.tone} aria-labelledby={headingId}>
      <p id={headingId} className="cartae-admin__alert-head">
        <span className="cartae-admin__alert-symbol">
          <Icon name={TONE_ICONS[view.tone]} decorative />
        </span>
        <strong>{view.label}</strong>
        {Number.isFinite(at) && (
          <time dateTime={alert.at} title={new Date(at).toISOString()}>
            {new Date(at).toLocaleString()} ({ago(at, now)})
          </time>
        )}
      </p>
      <p className="cartae-admin__alert-text">{alert.text}</p>
      {details.length > 0 && (
        <details>
          <summary>Show details</summary>
          <dl className="cartae-admin__alert-details">
            {details.map(({ key, value }) => (
              <div key={key}>
                <dt>
                  <code>{key}</code>
                </dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </li>
  );
}
