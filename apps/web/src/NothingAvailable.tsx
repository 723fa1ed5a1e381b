/**
 * Shown only when no source has ever served a registry on this device: a calm sentence and a
 * retry, not an error page. The page also tries again by itself every five minutes.
 */
export function NothingAvailable(props: { onRetry: () => void }) {
  return (
    <section aria-labelledby="cartae-web-nothing-heading" className="cartae-web__panel cartae-web__nothing">
      <h2 id="cartae-web-nothing-heading">The marketplace is not reachable right now</h2>
      <p>
        Your boards and installed plugins work as usual. The plugin list appears here by itself once a
        marketplace source answers: the page checks every few minutes.
      </p>
      <p>
        <button type="button" onClick={props.onRetry}>
          Try again now
        </button>
      </p>
    </section>
  );
}
