const count = (n: number) => n.toLocaleString('en-US');

/**
 * How many plugins the list holds: "6,854 plugins", or "Showing 12 of 6,854 plugins" during a
 * search. A status named "Plugin count", so people and tests read the number, not the DOM: the
 * list only draws the cards in view.
 */
export function PluginCount(props: { shown: number; total: number }) {
  return (
    <p role="status" aria-label="Plugin count" className="cartae-web__hint">
      {props.shown === props.total
        ? `${count(props.total)} plugins`
        : `Showing ${count(props.shown)} of ${count(props.total)} plugins`}
    </p>
  );
}
