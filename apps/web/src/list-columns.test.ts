import { describe, expect, it } from 'vitest';
import { listColumns, rowSlice } from './list-columns.ts';

describe('listColumns', () => {
  it.each([
    [0, 1],
    [Number.NaN, 1],
    [200, 1],
    [288, 1],
    [587, 1],
    [588, 2],
    [900, 3],
    [1376, 4],
  ])('%d px → %d columns', (width, columns) => {
    expect(listColumns(width)).toBe(columns);
  });
});

describe('rowSlice', () => {
  it.each([
    [10, 3, 0, { start: 0, end: 3 }],
    [10, 3, 3, { start: 9, end: 10 }],
    [2, 4, 0, { start: 0, end: 2 }],
  ])('%d plugins, %d columns, row %d', (count, columns, row, slice) => {
    expect(rowSlice(count, columns, row)).toEqual(slice);
  });
});
