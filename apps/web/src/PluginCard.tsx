import type { PluginEntry } from '@cartae/marketplace-core';
import { memo, useId } from 'react';

/** One plugin: name, version, author, description and tags. Memoised: scrolling redraws only new cards. */
export const PluginCard = memo(function PluginCard(props: { plugin: PluginEntry }) {
  const { plugin } = props;
  const headingId = useId();
  return (
    <article aria-labelledby={headingId} className="cartae-web__card">
      <h3 id={headingId}>{plugin.name}</h3>
      <p className="cartae-web__meta">
        <span>v{plugin.version}</span> · <span>by {plugin.author}</span>
      </p>
      <p>{plugin.description}</p>
      {plugin.tags.length > 0 && (
        <ul aria-label="Tags" className="cartae-web__tags">
          {plugin.tags.map((tag) => (
            <li key={tag}>{tag}</li>
          ))}
        </ul>
      )}
    </article>
  );
});
