import { describe, expect, it } from 'vitest';
import { entityTagOf, ifNoneMatch, isConditional } from './entity-tags.ts';

describe('entity tags', () => {
  it('reads the tag a response carries, weak ones as sent', () => {
    expect(entityTagOf(new Response('x', { headers: { etag: '"abc"' } }))).toBe('"abc"');
    expect(entityTagOf(new Response('x', { headers: { etag: 'W/"abc"' } }))).toBe('W/"abc"');
    expect(entityTagOf(new Response('x'))).toBeUndefined();
  });
  it('makes a request conditional only when a copy is held', () => {
    expect(ifNoneMatch('"abc"')).toEqual({ 'if-none-match': '"abc"' });
    expect(ifNoneMatch(undefined)).toBeUndefined();
    expect(ifNoneMatch('')).toBeUndefined();
  });
  it("tells a caller's own conditional request apart", () => {
    expect(isConditional({ 'If-None-Match': '"x"' })).toBe(true);
    expect(isConditional([['accept', 'application/json']])).toBe(false);
    expect(isConditional(undefined)).toBe(false);
  });
});
