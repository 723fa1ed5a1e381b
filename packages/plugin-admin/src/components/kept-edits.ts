import type { SourceKind } from '@cartae/marketplace-core';
import type { UrlCheck } from '../model/change-review.ts';
import type { ConfigDraft } from '../model/config-draft.ts';

/** What the Marketplace tab keeps while the admin looks at another tab: edits, reason, Test results. */
export interface KeptEdits {
  /** The form as typed, and the saved document it was typed on (to move it onto a newer one). */
  draft: { draft: ConfigDraft; base: Record<string, unknown> } | undefined;
  reason: string;
  checks: Partial<Record<SourceKind, UrlCheck>>;
}

const byService = new WeakMap<object, KeptEdits>();

/**
 * The kept edits of one panel (one service instance): the tab unmounts when another tab opens,
 * and unsaved edits must not vanish with it. Nothing is written to storage: a reload is guarded
 * by `useLeaveGuard` instead, so a half-typed URL never outlives the page by surprise.
 */
export function keptEdits(service: object): KeptEdits {
  let kept = byService.get(service);
  if (!kept) {
    kept = { draft: undefined, reason: '', checks: {} };
    byService.set(service, kept);
  }
  return kept;
}
