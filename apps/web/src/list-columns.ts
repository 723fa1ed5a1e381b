/** The narrowest a card may be (18rem at the default 16 px), and the gap between cards (0.75rem). */
export const CARD_MIN_WIDTH_PX = 288;
export const CARD_GAP_PX = 12;

/**
 * How many cards fit side by side in a list `width` pixels wide: as many as keep each card at
 * least `minWidth` wide with `gap` between them, and never fewer than one. Pure, so the
 * virtualised list and its tests agree with the CSS grid it sets.
 *
 * @example
 * listColumns(1200); // 3
 * listColumns(360); // 1
 */
export function listColumns(width: number, minWidth = CARD_MIN_WIDTH_PX, gap = CARD_GAP_PX): number {
  if (!Number.isFinite(width) || width <= 0) return 1;
  return Math.max(1, Math.floor((width + gap) / (minWidth + gap)));
}

/**
 * The plugins of one row of the grid, by index.
 *
 * @example
 * rowSlice(10, 3, 1); // { start: 3, end: 6 }
 */
export function rowSlice(count: number, columns: number, row: number): { start: number; end: number } {
  const start = row * columns;
  return { start, end: Math.min(count, start + columns) };
}
