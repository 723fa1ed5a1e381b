/** The windows the fleet views offer, in minutes. */
export const FLEET_WINDOWS = [
  { minutes: 60, button: 'Last hour' },
  { minutes: 1440, button: 'Last day' },
] as const;

/** "Last hour / Last day": two toggle buttons, the chosen one pressed. */
export function FleetWindowToggle(props: { minutes: number; onChange: (minutes: number) => void }) {
  return (
    <fieldset className="cartae-admin__toggle">
      <legend className="cartae-admin__visually-hidden">Fleet time window</legend>
      {FLEET_WINDOWS.map((w) => (
        <button
          key={w.minutes}
          type="button"
          aria-pressed={props.minutes === w.minutes}
          onClick={() => props.onChange(w.minutes)}
        >
          {w.button}
        </button>
      ))}
    </fieldset>
  );
}
