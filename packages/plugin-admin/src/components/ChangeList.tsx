import type { ChangeLine } from '../model/history-changes.ts';

/**
 * Changed settings, one line each: `Cache TTL: 30 s → 60 s`. The old value is struck through and
 * an arrow leads to the new one, so the change never rests on the red and green alone.
 */
export function ChangeList(props: { changes: readonly ChangeLine[]; label: string; empty?: string }) {
  if (props.changes.length === 0) {
    return <p className="cartae-admin__hint">{props.empty ?? 'No setting changed.'}</p>;
  }
  return (
    <ul className="cartae-admin__changes" aria-label={props.label}>
      {props.changes.map((c) => (
        <li key={c.path}>
          <span className="cartae-admin__change-name">{c.label}</span>: <del>{c.before}</del> →{' '}
          <ins>{c.after}</ins>
        </li>
      ))}
    </ul>
  );
}
