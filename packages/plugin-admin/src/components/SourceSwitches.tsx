import { SOURCE_PRESETS, type SourcePreset } from '../model/source-presets.ts';
import { Icon } from './Icon.tsx';

/**
 * The four switches of the whole fleet. The active one is pressed; clicking it changes nothing
 * (the parent says so). Results of a switch are shown right under the buttons (`children`).
 */
export function SourceSwitches(props: {
  activeId: string | undefined;
  onPick: (preset: SourcePreset) => void;
  children?: React.ReactNode;
}) {
  return (
    <fieldset className="cartae-admin__switches">
      <legend>Switch the whole fleet to</legend>
      {SOURCE_PRESETS.map((preset) => (
        <button
          key={preset.id}
          type="button"
          aria-pressed={props.activeId === preset.id}
          onClick={() => props.onPick(preset)}
        >
          <Icon name={preset.icon} decorative /> {preset.label}
        </button>
      ))}
      {props.children}
    </fieldset>
  );
}
