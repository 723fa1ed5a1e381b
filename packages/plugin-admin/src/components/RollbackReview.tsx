import { useEffect, useState } from 'react';
import { reviewChange } from '../model/change-review.ts';
import type {
  ControlPlaneConfig,
  HistoryEntry,
  MarketplaceConfigService,
} from '../service/marketplace-config-service.ts';
import type { Notice } from './ActionNotice.tsx';
import { announce } from './live-region.ts';
import { ReviewDialog } from './ReviewDialog.tsx';

/**
 * "Roll back to version N" through the one review step: what it changes against the current
 * config, a warning when it points the fleet at other hosts, the effect; sent with the current
 * version as the expected one. A save made meanwhile (PT409) reopens the review against it; a
 * rollback that would change nothing is never sent.
 */
export function RollbackReview(props: {
  service: MarketplaceConfigService;
  target: HistoryEntry;
  current: ControlPlaneConfig;
  onCancel: () => void;
  /** The outcome (also announced), and the config after it when it changed. */
  onDone: (notice: Notice, config?: ControlPlaneConfig) => void;
}) {
  const { service, target, onDone } = props;
  const [current, setCurrent] = useState(props.current);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [meanwhile, setMeanwhile] = useState<number>();
  const review = reviewChange(current.document, target.newValue);
  const nothing = review.changes.length === 0;

  const finish = (notice: Notice, config?: ControlPlaneConfig) => {
    announce(notice.text);
    onDone(notice, config);
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: decided once per opened review
  useEffect(() => {
    if (nothing) {
      finish({
        kind: 'info',
        text: `Nothing to roll back: version ${current.version} already has the configuration of version ${target.version}.`,
      });
    }
  }, [nothing]);
  if (nothing) return null;

  async function confirm() {
    setBusy(true);
    const result = await service.rollback(target.id, {
      reason: reason || `roll back to version ${target.version}`,
      expectedVersion: current.version,
    });
    setBusy(false);
    if (result.ok) {
      return finish(
        result.value.changed
          ? {
              kind: 'ok',
              text: `Rolled back: the configuration of version ${target.version} is now version ${result.value.version}. ${review.effect}`,
            }
          : {
              kind: 'info',
              text: `Nothing changed: version ${result.value.version} already has the configuration of version ${target.version}.`,
            },
        result.value,
      );
    }
    if (result.error.kind === 'conflict') {
      const now = await service.get();
      if (now.ok) {
        setCurrent(now.value);
        setMeanwhile(now.value.version);
        announce(
          `Not rolled back: version ${now.value.version} was saved meanwhile. Review the rollback again.`,
        );
        return;
      }
    }
    finish({ kind: 'error', text: `Not rolled back: ${result.error.message}` });
  }

  return (
    <ReviewDialog
      title={`Roll back to version ${target.version}?`}
      confirmLabel="Roll back"
      savedLabel={`version ${current.version}, the current one`}
      review={review}
      busy={busy}
      onConfirm={() => void confirm()}
      onCancel={props.onCancel}
    >
      {meanwhile !== undefined && (
        <p className="cartae-admin__bad">
          Version {meanwhile} was saved while you were reviewing; nothing was rolled back. The changes above
          are against version {meanwhile} now.
        </p>
      )}
      <p>This is recorded as a new version, with origin rollback.</p>
      <label>
        Reason <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
    </ReviewDialog>
  );
}
