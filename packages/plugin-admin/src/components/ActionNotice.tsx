/** What happened to a save, switch or rollback, shown beside the action (also announced once). */
export interface Notice {
  readonly kind: 'ok' | 'error' | 'info';
  readonly text: string;
}

/**
 * The result beside the button that caused it. Not a live region itself: the panel's one live
 * region (`announce`) says it, so a screen reader hears it once.
 */
export function ActionNotice(props: { notice: Notice | undefined }) {
  const { notice } = props;
  if (!notice) return null;
  const className =
    notice.kind === 'error' ? 'cartae-admin__bad' : notice.kind === 'ok' ? 'cartae-admin__ok' : '';
  return <p className={`cartae-admin__notice ${className}`}>{notice.text}</p>;
}
