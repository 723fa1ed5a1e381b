import { type ConfigAnswer, isConfigAnswer } from './config-answer.ts';

export const LAST_GOOD_CONFIG_KEY = 'config:last-good';

/** The last config the control plane gave and the reader accepted; `undefined` when none. Never throws. */
export async function readLastGoodConfig(kv: KVNamespace): Promise<ConfigAnswer | undefined> {
  try {
    const value = await kv.get<unknown>(LAST_GOOD_CONFIG_KEY, 'json');
    return isConfigAnswer(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps a good answer for when the control plane fails. KV allows few writes, so it writes only
 * when the document changed or the stored copy is older than `refreshAfterMs` (the age shown on
 * stale answers stays honest to within that).
 */
export async function keepLastGoodConfig(
  kv: KVNamespace,
  answer: ConfigAnswer,
  refreshAfterMs = 300_000,
): Promise<void> {
  const stored = await readLastGoodConfig(kv);
  if (stored?.etag === answer.etag && answer.fetchedAt - stored.fetchedAt < refreshAfterMs) return;
  await kv.put(LAST_GOOD_CONFIG_KEY, JSON.stringify(answer));
}
