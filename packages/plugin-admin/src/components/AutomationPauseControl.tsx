import type { FleetSettings } from '@cartae/marketplace-core';
import { describePause } from '../model/fleet-settings-view.ts';
import type { ProposeSettings } from './automation-proposal.ts';

const PAUSE_EFFECT =
  'Until an admin resumes it, the control plane takes no automatic action anywhere in the fleet: no automatic switch, no automatic rollback, no canary promotion. The current config stays as it is, and alerts still reach the feed and the webhook.';
const RESUME_EFFECT =
  'The control plane evaluates the fleet again every minute and may switch, roll back or promote the canary on its own, as the Marketplace settings allow (automatic switch, rollout guard, canary ramp).';

/** The kill switch: the automation's state in words, and "Pause all automation" / "Resume automation". */
export function AutomationPauseControl(props: { settings: FleetSettings; propose: ProposeSettings }) {
  const { settings } = props;
  const paused = settings.automationPaused;
  return (
    <fieldset>
      <legend>Kill switch</legend>
      <p role="status" aria-label="Automation state" data-state={paused ? 'paused' : 'running'}>
        {paused ? (
          <>
            <strong>Paused</strong> {describePause(settings, Date.now())}: no automatic switch, rollback or
            canary promotion.
          </>
        ) : (
          <>
            <strong>Running</strong>: the control plane may switch, roll back and promote the canary on its
            own, as the Marketplace settings allow.
          </>
        )}
      </p>
      <div>
        <button
          type="button"
          className={paused ? 'cartae-admin__primary' : 'cartae-admin__danger'}
          onClick={() =>
            props.propose(
              paused
                ? {
                    change: { automationPaused: false },
                    title: 'Resume the automation?',
                    confirmLabel: 'Resume automation',
                    effect: RESUME_EFFECT,
                    field: 'automationPaused',
                  }
                : {
                    change: { automationPaused: true },
                    title: 'Pause all automation?',
                    confirmLabel: 'Pause all automation',
                    effect: PAUSE_EFFECT,
                    field: 'automationPaused',
                  },
            )
          }
        >
          {paused ? 'Resume automation' : 'Pause all automation'}
        </button>
      </div>
    </fieldset>
  );
}
