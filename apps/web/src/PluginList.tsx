import type { PluginEntry } from '@cartae/marketplace-core';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { memo, useLayoutEffect, useRef, useState } from 'react';
import { CARD_GAP_PX, listColumns, rowSlice } from './list-columns.ts';
import { PluginCard } from './PluginCard.tsx';

/** A card with a two-line description; real rows are measured as they are drawn. */
const ESTIMATED_ROW_PX = 150;

interface ListLayout {
  readonly columns: number;
  /** The list's top, in page coordinates: where the window's scroll reaches the first row. */
  readonly top: number;
}

/** The grid's columns and position, kept current as the window, the list or the page above it resize. */
function useListLayout(list: React.RefObject<HTMLUListElement | null>): ListLayout {
  const [layout, setLayout] = useState<ListLayout>({ columns: 1, top: 0 });
  useLayoutEffect(() => {
    const element = list.current;
    if (!element) return;
    const update = () => {
      const columns = listColumns(element.clientWidth);
      const top = Math.round(element.getBoundingClientRect().top + window.scrollY);
      setLayout((previous) =>
        previous.columns === columns && previous.top === top ? previous : { columns, top },
      );
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    // Whatever sits above the list (a banner, the stats wrapping) moves it down the page.
    if (element.parentElement) observer.observe(element.parentElement);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, [list]);
  return layout;
}

/**
 * The plugins to show, or a sentence saying none matches the search. Virtualised: only the rows
 * near the window's view are in the DOM (about 30 cards, whatever the registry's size), the rest
 * stand as padding; each item says its position (`aria-posinset` of `aria-setsize`). Memoised: the
 * page re-rendering for anything else (a stats tick, a banner) does not redraw it.
 */
export const PluginList = memo(function PluginList(props: {
  plugins: readonly PluginEntry[];
  query: string;
}) {
  const { plugins } = props;
  const listRef = useRef<HTMLUListElement>(null);
  const { columns, top } = useListLayout(listRef);
  const virtualizer = useWindowVirtualizer({
    count: Math.ceil(plugins.length / columns),
    estimateSize: () => ESTIMATED_ROW_PX,
    // Measured heights belong to a row's content, not to its position (a search moves rows).
    getItemKey: (row) => `${plugins[row * columns]?.id ?? row}/${columns}`,
    overscan: 3,
    gap: CARD_GAP_PX,
    scrollMargin: top,
  });
  const rows = virtualizer.getVirtualItems();
  const first = rows[0];
  const last = rows[rows.length - 1];
  const paddingTop = first ? first.start - top : 0;
  const paddingBottom = last ? Math.max(0, virtualizer.getTotalSize() - (last.end - top)) : 0;

  return (
    <>
      {plugins.length === 0 && <p className="cartae-web__hint">No plugin matches “{props.query.trim()}”.</p>}
      <ul
        ref={listRef}
        aria-label="Plugins"
        className="cartae-web__plugins"
        hidden={plugins.length === 0}
        style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`, paddingTop, paddingBottom }}
      >
        {rows.flatMap((row) => {
          const { start, end } = rowSlice(plugins.length, columns, row.index);
          return plugins.slice(start, end).map((plugin, i) => (
            <li
              key={plugin.id}
              // The first card of a row measures the row: grid items stretch to the row's height.
              data-index={i === 0 ? row.index : undefined}
              ref={i === 0 ? virtualizer.measureElement : undefined}
              aria-posinset={start + i + 1}
              aria-setsize={plugins.length}
            >
              <PluginCard plugin={plugin} />
            </li>
          ));
        })}
      </ul>
    </>
  );
});
