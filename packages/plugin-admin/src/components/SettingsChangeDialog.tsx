import type { SettingChangeLine } from '../model/settings-change.ts';
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
      <table className="cartae-admin__diff">
        <caption>What will change</caption>
        <thead>
          <tr>
            <th scope="col">Setting</th>
            <th scope="col">Now</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {props.lines.map((line) => (
            <tr key={line.setting}>
              <th scope="row">{line.setting}</th>
              <td>
                <del>{line.before}</del>
              </td>
              <td>
                <ins>{line.after}</ins>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="cartae-admin__hint">It is written to the alert feed with your email.</p>
    </ConfirmDialog>
  );
}
