import type { MirrorAlertMemory } from './mirror-alert.ts';

export const MIRROR_ALERT_KEY = 'alerts:mirror';

/**
 * What was last alerted about the mirror: the memory, `undefined` (healthy, nothing alerted), or
 * `'unreadable'` when KV fails (the check is then skipped: retried next minute). Never throws.
 */
export async function readMirrorAlertMemory(
  kv: KVNamespace,
): Promise<MirrorAlertMemory | undefined | 'unreadable'> {
  try {
    const value = await kv.get<MirrorAlertMemory>(MIRROR_ALERT_KEY, 'json');
    if (value === null || typeof value !== 'object' || typeof value.since !== 'number') return undefined;
    return value;
  } catch {
    return 'unreadable';
  }
}

/** Stores the memory, or forgets it (`null`). Throws when KV does. */
export async function writeMirrorAlertMemory(
  kv: KVNamespace,
  memory: MirrorAlertMemory | null,
): Promise<void> {
  if (memory === null) await kv.delete(MIRROR_ALERT_KEY);
  else await kv.put(MIRROR_ALERT_KEY, JSON.stringify(memory));
}
