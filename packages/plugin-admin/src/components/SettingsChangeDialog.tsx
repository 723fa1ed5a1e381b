import type { SettingChangeLine } from '../model/settings-change.ts';
import { ChangeTable } from './ChangeTable.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';

/** The confirmation of a fleet settings change: what it does, then exactly what changes (now → after). */
export function SettingsChangeDialog(props: {
  title: string;
  confirmLabel: string;
  effect: string;
  lines: readonly SettingChangeLine[];
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <ConfirmDialog
      title={props.title}
      confirmLabel={props.confirmLabel}
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
      busy={props.busy}
    >
      <p>{props.effect}</p>
      <ChangeTable
        caption="What will change"
        beforeLabel="Now"
        rows={props.lines.map((line) => ({ key: line.setting, name: line.setting, ...line }))}
      />
      <p className="cartae-admin__hint">It is written to the alert feed with your email.</p>
    </ConfirmDialog>
  );
}
