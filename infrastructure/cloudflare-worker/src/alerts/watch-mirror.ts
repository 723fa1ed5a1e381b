import { readMirrorStatus } from '../registry/mirror-status.ts';
import type { WorkerPlatform } from '../worker-platform.ts';
import type { Alert } from './alert.ts';
import { judgeMirror, mirrorAlertStep } from './mirror-alert.ts';
import { readMirrorAlertMemory, writeMirrorAlertMemory } from './mirror-alert-memory.ts';

/**
 * Checks the mirror once (its recorded status against what was last alerted) and sends an alert
 * when it turned failing or stale, or recovered. Two KV reads a minute; a write only on a
 * transition, made before the alert is sent so a slow delivery cannot cause a second alert.
 * Never throws: a KV failure is logged and the check runs again next minute.
 */
export async function watchMirror(
  kv: KVNamespace,
  platform: WorkerPlatform,
  send: (alert: Alert) => void,
): Promise<void> {
  try {
    const [status, memory] = await Promise.all([readMirrorStatus(kv), readMirrorAlertMemory(kv)]);
    if (memory === 'unreadable') {
      platform.log('mirror_watch_failed', { error: 'the alert memory cannot be read from KV' });
      return;
    }
    const now = platform.now();
    const step = mirrorAlertStep(memory, judgeMirror(status, now), now);
    if (step.memory !== undefined) await writeMirrorAlertMemory(kv, step.memory);
    if (step.alert !== undefined) send(step.alert);
  } catch (cause) {
    platform.log('mirror_watch_failed', { error: cause instanceof Error ? cause.message : String(cause) });
  }
}
