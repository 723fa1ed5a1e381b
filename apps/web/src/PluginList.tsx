import type { PluginEntry } from '@cartae/marketplace-core';
import { PluginCard } from './PluginCard.tsx';

/** The plugins to show, or a sentence saying none matches the search. */
export function PluginList(props: { plugins: readonly PluginEntry[]; query: string }) {
  if (props.plugins.length === 0) {
    return <p className="cartae-web__hint">No plugin matches “{props.query.trim()}”.</p>;
  }
  return (
    <ul aria-label="Plugins" className="cartae-web__plugins">
      {props.plugins.map((plugin) => (
        <li key={plugin.id}>
          <PluginCard plugin={plugin} />
        </li>
      ))}
    </ul>
  );
}
