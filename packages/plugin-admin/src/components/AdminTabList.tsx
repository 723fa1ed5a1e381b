import { useRef } from 'react';

/**
 * The panel's tabs (WAI-ARIA: arrow keys, Home and End move between them), in one row that
 * scrolls sideways on a narrow screen instead of wrapping; the chosen tab is scrolled into view.
 */
export function AdminTabList<Id extends string>(props: {
  tabs: readonly { id: Id; label: string }[];
  selected: Id;
  onSelect: (id: Id) => void;
  idOf: (id: Id, part: 'tab' | 'panel') => string;
}) {
  const { tabs } = props;
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});

  function select(id: Id, focus: boolean) {
    props.onSelect(id);
    const el = refs.current[id];
    if (focus) el?.focus();
    el?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }

  function onKey(event: React.KeyboardEvent, index: number) {
    const keys: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: tabs.length - 1,
    };
    const next = keys[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = tabs[(next + tabs.length) % tabs.length];
    if (target) select(target.id, true);
  }

  return (
    <div role="tablist" aria-label="Admin sections" className="cartae-admin__tabs">
      {tabs.map((t, index) => (
        <button
          key={t.id}
          ref={(el) => {
            refs.current[t.id] = el;
          }}
          type="button"
          role="tab"
          id={props.idOf(t.id, 'tab')}
          aria-selected={props.selected === t.id}
          aria-controls={props.idOf(t.id, 'panel')}
          tabIndex={props.selected === t.id ? 0 : -1}
          onClick={() => select(t.id, false)}
          onKeyDown={(e) => onKey(e, index)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
