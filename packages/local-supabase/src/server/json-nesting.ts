/**
 * The deepest JSON nesting the stand-in accepts in a request body, REST or Auth.
 *
 * Neither PostgREST nor GoTrue has this bound (GoTrue's Go decoder stops at 10,000 levels). The
 * stand-in needs one: PGlite given JSON nested some 6,000 levels deep returns nothing and then
 * hangs on the next such query, and recursive JavaScript (`JSON.parse`, `JSON.stringify`) runs out
 * of stack sooner or later. 512 is sixteen times what any function of this project accepts: a
 * marketplace config may nest 32 levels (`MAX_CONFIG_DEPTH`, `nests_deeper_than`), usage batches
 * and fleet settings 3 or 4; the arguments object around them adds one.
 */
export const MAX_JSON_DEPTH = 512;

/**
 * Whether `text` opens more than `maxDepth` arrays or objects at once. One pass over the raw
 * characters, no recursion and no parsing, so it is safe on any input; brackets inside strings
 * do not count. Says nothing about whether `text` is valid JSON.
 *
 * @example
 * nestsDeeperThan('{"a":[1,{"b":"[[["}]}', 2); // true: depth 3
 * nestsDeeperThan('{"a":[1,{"b":"[[["}]}', 3); // false
 */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: the next character is escaped, whatever it is
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x5b || ch === 0x7b) {
      depth++;
      if (depth > maxDepth) return true;
    } else if (ch === 0x5d || ch === 0x7d) {
      depth--;
    }
  }
  return false;
}
