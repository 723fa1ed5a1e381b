/**
 * How deeply a `marketplace_source` document may nest. The top-level object is level 1; each
 * object or array inside adds one level; strings, numbers, booleans and null add none. So
 * `{"a":{"b":[1]}}` is 3 levels deep, and `{"type":"git"}` is 1.
 *
 * The known fields need 2 (`autoSwitch`); 32 leaves room for future fields while keeping every
 * recursive walker (`JSON.stringify`, zod, structured clone, the admin panel's diff) far from its
 * stack limit in any runtime. The SQL validation (`validate_marketplace_source`) enforces the same
 * bound with the same message.
 *
 * @example
 * import { MAX_CONFIG_DEPTH } from '@cartae/marketplace-core';
 * MAX_CONFIG_DEPTH; // 32
 */
export const MAX_CONFIG_DEPTH = 32;

/** The validation message for a document nested past {@link MAX_CONFIG_DEPTH}, word for word as in SQL. */
export const CONFIG_TOO_DEEP = `must be nested at most ${MAX_CONFIG_DEPTH} levels deep (the top-level object is level 1)`;

/**
 * Whether `value` nests objects and arrays more than `maxDepth` levels (the value itself being
 * level 1). Iterative and stops at the first container past the limit, so a hostile or cyclic
 * value can neither overflow the stack nor make it walk deeper than `maxDepth + 1`; a parsed JSON
 * value is visited at most once per container. Run it before anything that recurses over the value.
 */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (maxDepth < 1) return true;
  const pending: [object, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [container, depth] = next;
    for (const child of Object.values(container)) {
      if (typeof child !== 'object' || child === null) continue;
      if (depth + 1 > maxDepth) return true;
      pending.push([child, depth + 1]);
    }
  }
  return false;
}
