import { useCallback, useEffect, useState } from 'react';
import { type EdgeHealth, edgeHealthUrl, readEdgeHealth } from '../model/edge-health.ts';
import { Icon } from './Icon.tsx';

export const EDGE_STATUS_INTERVAL_MS = 60_000;

const when = (iso: string | null) => (iso === null ? '—' : new Date(iso).toLocaleString());

/**
 * The CDN Worker as it reports itself (`GET /health`): the registry version it serves (mirrored
 * from Git, and who signed it), its last mirror run from Git, and the config version it hands to
 * apps. Read from this browser every minute; says plainly when the Worker cannot be reached.
 */
export function EdgeStatus(props: {
  /** The config is still being read: nothing to ask yet. */
  pending?: boolean;
  cloudflareUrl: string | undefined;
  /** The config version the control plane holds now, to compare with the edge's. */
  configVersion: number | undefined;
  fetchHealth?: (url: string) => Promise<unknown>;
  intervalMs?: number;
}) {
  const { cloudflareUrl, fetchHealth } = props;
  const [health, setHealth] = useState<EdgeHealth | undefined>();
  const [error, setError] = useState<string | undefined>();

  const read = useCallback(async () => {
    if (!cloudflareUrl) return;
    try {
      const body = fetchHealth
        ? await fetchHealth(edgeHealthUrl(cloudflareUrl))
        : await (await fetch(edgeHealthUrl(cloudflareUrl), { cache: 'no-store' })).json();
      setHealth(readEdgeHealth(body));
      setError(undefined);
    } catch (cause) {
      setError(`the Worker's /health could not be read from this browser: ${(cause as Error).message}`);
    }
  }, [cloudflareUrl, fetchHealth]);

  useEffect(() => {
    void read();
    const timer = setInterval(() => void read(), props.intervalMs ?? EDGE_STATUS_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [read, props.intervalMs]);

  return (
    <section aria-labelledby="cartae-admin-edge-heading" className="cartae-admin__section">
      <h2 id="cartae-admin-edge-heading">CDN Worker</h2>
      {props.pending && <p aria-busy="true">Reading the config…</p>}
      {!props.pending && !cloudflareUrl && <p className="cartae-admin__hint">No CDN URL in the config.</p>}
      {error && (
        // A status, not an alert: the Worker being out of this browser's reach (CORS, a private
        // network) says nothing about the fleet, which the panels above report.
        <p role="status" className="cartae-admin__bad">
          <Icon name="warning" /> {error}
        </p>
      )}
      {cloudflareUrl && health && (
        <dl className="cartae-admin__edge-facts" aria-label="CDN Worker status">
          <dt>Status</dt>
          <dd>
            <Icon name={health.status === 'ok' ? 'ok' : health.status === 'unknown' ? 'info' : 'warning'} />{' '}
            {health.status}
          </dd>
          <dt>Registry served</dt>
          <dd>
            {health.registry
              ? `v${health.registry.version}, stored ${when(health.registry.storedAt)} · ${
                  health.registry.signedBy ? `signed by ${health.registry.signedBy}` : 'not signed'
                }`
              : 'none yet'}
          </dd>
          <dt>Mirror from Git</dt>
          <dd>
            {health.mirror
              ? `${health.mirror.result} at ${when(health.mirror.at)}: ${health.mirror.message}${
                  health.mirror.consecutiveFailures > 0
                    ? ` (${health.mirror.consecutiveFailures} failure${health.mirror.consecutiveFailures > 1 ? 's' : ''} in a row; last success ${when(health.mirror.lastSuccessAt)})`
                    : ''
                }`
              : 'no run yet'}
          </dd>
          <dt>Config handed to apps</dt>
          <dd>
            {health.configVersion === null
              ? 'none yet (no app has asked this Worker for the config)'
              : `v${health.configVersion}${
                  props.configVersion !== undefined && props.configVersion !== health.configVersion
                    ? ` (the control plane holds v${props.configVersion}; the edge copy refreshes within seconds)`
                    : ''
                }`}
          </dd>
          {health.problems.length > 0 && (
            <>
              <dt>Problems</dt>
              <dd>{health.problems.join('; ')}</dd>
            </>
          )}
        </dl>
      )}
    </section>
  );
}
