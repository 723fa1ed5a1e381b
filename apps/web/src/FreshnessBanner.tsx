import type { RegistryView } from './registry-view.ts';
import { sourceLabel } from './source-label.ts';

/**
 * Says, calmly, when what is on screen may not be the latest: a saved copy of the registry, or
 * marketplace settings that did not (yet) come from the control plane. Render only when
 * `needsFreshnessNotice(view)`.
 */
export function FreshnessBanner(props: {
  view: Exclude<RegistryView, { kind: 'loading' }>;
  controlPlane: boolean;
}) {
  const { view } = props;
  const lines: string[] = [];
  if (view.kind === 'ready' && view.stale) {
    lines.push(
      `Showing the copy of the marketplace saved ${new Date(view.fetchedAt).toLocaleString()} from ` +
        `${sourceLabel(view.source)}: no source answered just now. The list updates by itself when one does.`,
    );
  }
  if (view.config.origin === 'persisted') {
    lines.push(
      `Using the marketplace settings saved on this device (config version ${view.config.version ?? 'unknown'}); ` +
        'they are refreshed from the control plane in the background.',
    );
  } else if (view.config.origin === 'built-in') {
    lines.push(
      props.controlPlane
        ? 'Using the app’s built-in marketplace settings: the control plane has not answered yet.'
        : 'Using the app’s built-in marketplace settings: no control plane is configured.',
    );
  }
  return (
    <div role="status" aria-label="Marketplace freshness" className="cartae-web__banner">
      {lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
    </div>
  );
}
