import { describeConvergence, describeOtherVersions } from '../model/fleet-convergence.ts';
import { formatCount } from '../model/fleet-figures.ts';
import type { FleetSummary } from '../model/fleet-summary.ts';

/** Active installs, how far they follow the current config version, and stale serves. */
export function FleetFacts(props: { summary: FleetSummary }) {
  const { summary } = props;
  const others = describeOtherVersions(summary.convergence);
  return (
    <dl className="cartae-admin__facts">
      <div>
        <dt>Active installs</dt>
        <dd>{formatCount(summary.activeInstalls)}</dd>
        <dd className="cartae-admin__hint">in the latest complete minute</dd>
      </div>
      <div>
        <dt>Config version</dt>
        <dd>{describeConvergence(summary.convergence)}</dd>
        {others && <dd className="cartae-admin__hint">Still on {others}</dd>}
      </div>
      <div>
        <dt>Served from a stale copy</dt>
        <dd>{formatCount(summary.staleServes)}</dd>
        <dd className="cartae-admin__hint">reads answered from the last good copy: every source failed</dd>
      </div>
    </dl>
  );
}
