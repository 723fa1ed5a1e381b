import type { ReactNode } from 'react';
import type { ChangeReview } from '../model/change-review.ts';
import { urlFieldLabel } from '../model/config-draft.ts';
import { settingName, settingValue } from '../model/config-setting-words.ts';
import { ChangeTable } from './ChangeTable.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';

/**
 * The one review step before anything reaches the fleet (a switch, a preset, a save, a
 * rollback): the exact field-by-field diff against the saved config, each setting named as
 * History words it (`config-setting-words.ts`), a warning for each URL the fleet would use that
 * failed Test or was never tested, new hosts, and the effect in seconds.
 */
export function ReviewDialog(props: {
  title: string;
  confirmLabel: string;
  /** What the saved side of the diff is: `version 7`. */
  savedLabel: string;
  review: ChangeReview;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** Below the effect: the reason, or its input. */
  children?: ReactNode;
}) {
  const { review } = props;
  const warnings = [
    ...review.urlWarnings.map((w) =>
      w.problem === 'failed'
        ? `${urlFieldLabel(w.kind)} ${w.url} failed its last Test${w.error ? `: ${w.error}` : ''}.`
        : `${urlFieldLabel(w.kind)} ${w.url} was never tested from this browser.`,
    ),
    ...(review.newHosts
      ? [
          `This points the fleet at ${review.hostsAfter.join(', ')}; it uses ${review.hostsBefore.join(', ') || 'no host'} now.`,
        ]
      : []),
  ];
  return (
    <ConfirmDialog
      title={props.title}
      confirmLabel={props.confirmLabel}
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
      busy={props.busy}
    >
      <ChangeTable
        className="cartae-admin__review-diff"
        caption={`${review.changes.length === 1 ? 'One field changes' : `${review.changes.length} fields change`} against the saved config (${props.savedLabel})`}
        beforeLabel="Saved"
        rows={review.changes.map((c) => ({
          key: c.path,
          name: settingName(c.path),
          before: settingValue(c.path, c.before),
          after: settingValue(c.path, c.after),
        }))}
      />
      {warnings.length > 0 && (
        <ul aria-label="Warnings" className="cartae-admin__review-warnings">
          {warnings.map((text) => (
            <li key={text}>
              <strong>Warning:</strong> {text}
            </li>
          ))}
        </ul>
      )}
      <p className="cartae-admin__review-effect">{review.effect}</p>
      {props.children}
    </ConfirmDialog>
  );
}
