/** What `onPageReturn` needs from `document`. */
export type VisibilitySource = Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>;

/**
 * Calls `onReturn` with how long the page was hidden, each time it becomes visible again (another
 * tab, a minimised window, a locked screen). The app's one reader of `visibilityState`. Returns
 * the function that stops listening.
 *
 * @example
 * const stop = onPageReturn(document, () => Date.now(), (hiddenForMs) => console.log(hiddenForMs));
 */
export function onPageReturn(
  doc: VisibilitySource,
  now: () => number,
  onReturn: (hiddenForMs: number) => void,
): () => void {
  let hiddenAt = doc.visibilityState === 'visible' ? undefined : now();
  const listener = () => {
    if (doc.visibilityState !== 'visible') {
      hiddenAt ??= now();
      return;
    }
    if (hiddenAt === undefined) return;
    const hiddenForMs = now() - hiddenAt;
    hiddenAt = undefined;
    onReturn(hiddenForMs);
  };
  doc.addEventListener('visibilitychange', listener);
  return () => doc.removeEventListener('visibilitychange', listener);
}
