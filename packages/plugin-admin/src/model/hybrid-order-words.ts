/**
 * Who tries which source first under a hybrid config, in one sentence for the review step. The
 * canary share (`canaryPercent`, 100 when unset) tries the first source of `priority` first, the
 * others the second; at 0 or 100 % every install does the same, and it says so.
 *
 * @example
 * hybridOrderSentence({ priority: ['cloudflare', 'git'], canaryPercent: 10 });
 * // '10% of installs try the CDN first, the others Git first; each falls back to the other.'
 * hybridOrderSentence({ priority: ['git', 'cloudflare'], canaryPercent: 100 });
 * // 'Every install tries Git first, then the CDN.'
 */
export function hybridOrderSentence(document: Record<string, unknown>): string {
  const canary = typeof document.canaryPercent === 'number' ? document.canaryPercent : 100;
  const priority = Array.isArray(document.priority) ? document.priority : ['cloudflare', 'git'];
  const [first = 'the CDN', second = 'Git'] = priority.map((k) => (k === 'git' ? 'Git' : 'the CDN'));
  if (canary >= 100) return `Every install tries ${first} first, then ${second}.`;
  if (canary <= 0) return `Every install tries ${second} first, then ${first}.`;
  return `${canary}% of installs try ${first} first, the others ${second} first; each falls back to the other.`;
}
