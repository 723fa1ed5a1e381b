import { SOURCE_KIND_TABLE } from '@cartae/marketplace-core';
import type { SourceCheck } from '@cartae/marketplace-resolver';
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeCheck } from '../model/source-check-view.ts';
import { Icon } from './Icon.tsx';

export const HEALTH_CHECK_INTERVAL_MS = 60_000;

/**
 * From this browser, per source: the state in words with an icon of its own shape (healthy,
 * unhealthy, rate-limited or paused until…), response time, last check, error, and the Git rate
 * limit when known; on a narrow screen each source is a card of label/value lines. Each
 * check is the resolver's `checkHealth()`: the source itself (never the browser's HTTP cache),
 * judged as `getRegistry()` judges it. Checks every minute and on demand; a source that turns
 * unhealthy raises a visible alert.
 */
export function SourceHealthMonitor(props: {
  checkHealth: () => Promise<readonly SourceCheck[]>;
  intervalMs?: number;
}) {
  const { checkHealth } = props;
  const [checks, setChecks] = useState<readonly SourceCheck[]>([]);
  const [checking, setChecking] = useState(false);
  const [alerts, setAlerts] = useState<string[]>([]);
  const previous = useRef<Map<string, boolean>>(new Map());

  const run = useCallback(async () => {
    setChecking(true);
    try {
      const results = await checkHealth();
      // A source with a URL that cannot serve (refused body, error, rate limit, paused) is unhealthy.
      const judged = results.filter((c) => c.url !== undefined);
      const turnedBad = judged.filter((c) => !c.ok && previous.current.get(c.source) !== false);
      if (turnedBad.length > 0) {
        const at = new Date().toLocaleTimeString();
        setAlerts((a) =>
          [
            ...turnedBad.map(
              (c) =>
                `${SOURCE_KIND_TABLE[c.source].label} is unhealthy since ${at}: ${describeCheck(c).error}`,
            ),
            ...a,
          ].slice(0, 5),
        );
      }
      previous.current = new Map(judged.map((c) => [c.source, c.ok]));
      setChecks(results);
    } finally {
      setChecking(false);
    }
  }, [checkHealth]);

  useEffect(() => {
    void run();
    const timer = setInterval(() => void run(), props.intervalMs ?? HEALTH_CHECK_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [run, props.intervalMs]);

  return (
    <section aria-labelledby="cartae-admin-health-heading" className="cartae-admin__section">
      <h2 id="cartae-admin-health-heading">From this browser</h2>
      <p className="cartae-admin__hint">
        Each source asked directly by this page, as an app would ask it: what this browser sees, not the
        fleet.
      </p>
      {alerts.length > 0 && (
        <div role="alert" className="cartae-admin__alert">
          {alerts.map((a) => (
            <p key={a}>
              <Icon name="warning" label="Warning" /> {a}
            </p>
          ))}
          <button type="button" onClick={() => setAlerts([])}>
            Dismiss
          </button>
        </div>
      )}
      <button type="button" onClick={() => void run()} disabled={checking}>
        {checking ? 'Checking…' : 'Check now'}
      </button>
      <div className="cartae-admin__table-wrap cartae-admin__cards">
        <table>
          <caption>
            Checked every {Math.round((props.intervalMs ?? HEALTH_CHECK_INTERVAL_MS) / 1000)} s from this
            browser
          </caption>
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Status</th>
              <th scope="col">Response time</th>
              <th scope="col">Last check</th>
              <th scope="col">Rate limit</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {checks.map((c) => {
              const view = describeCheck(c);
              return (
                <tr key={c.source}>
                  <th scope="row">{SOURCE_KIND_TABLE[c.source].label}</th>
                  <td data-label="Status" data-state={view.state}>
                    <span className="cartae-admin__status">
                      <Icon name={view.icon} decorative /> {view.status}
                    </span>
                  </td>
                  <td data-label="Response time">
                    {c.responseTimeMs === undefined ? '—' : `${c.responseTimeMs} ms`}
                  </td>
                  <td data-label="Last check">{new Date(c.checkedAt).toLocaleTimeString()}</td>
                  <td data-label="Rate limit">{rateLimitText(c)}</td>
                  <td data-label="Error">{view.error}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function rateLimitText(c: SourceCheck): string {
  if (c.rateLimitRemaining === undefined) return '—';
  const limit = c.rateLimitLimit === undefined ? '' : ` / ${c.rateLimitLimit}`;
  const reset =
    c.rateLimitResetAt === undefined ? '' : `, resets ${new Date(c.rateLimitResetAt).toLocaleTimeString()}`;
  return `${c.rateLimitRemaining}${limit} left${reset}`;
}
