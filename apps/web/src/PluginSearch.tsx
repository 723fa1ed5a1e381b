import { useId } from 'react';

/** The search box above the plugin list. Filtering happens as you type. */
export function PluginSearch(props: { query: string; onQueryChange: (query: string) => void }) {
  const id = useId();
  return (
    <div className="cartae-web__search">
      <label htmlFor={id}>Search plugins</label>
      <input
        id={id}
        type="search"
        value={props.query}
        placeholder="Name, author, tag…"
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => props.onQueryChange(event.target.value)}
      />
    </div>
  );
}
