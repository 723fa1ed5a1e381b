import { type ConfigAnswer, isConfigAnswer } from './config-answer.ts';

/**
 * What GET /api/config has to say, decided once per control-plane read: the control plane's
 * answer (`fresh`), the last good copy because the control plane failed (`stale`), or nothing a
 * resolver could use (`unavailable`). Plain JSON, so the edge cache keeps failures as well as
 * successes and gives them back unchanged.
 */
export type ConfigOutcome =
  | { readonly kind: 'fresh'; readonly answer: ConfigAnswer }
  | { readonly kind: 'stale'; readonly answer: ConfigAnswer; readonly reason: string }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** True when a value read back from the edge cache is a whole `ConfigOutcome`. */
export function isConfigOutcome(value: unknown): value is ConfigOutcome {
  if (typeof value !== 'object' || value === null) return false;
  const outcome = value as Record<string, unknown>;
  switch (outcome.kind) {
    case 'fresh':
      return isConfigAnswer(outcome.answer);
    case 'stale':
      return isConfigAnswer(outcome.answer) && typeof outcome.reason === 'string';
    case 'unavailable':
      return typeof outcome.reason === 'string';
    default:
      return false;
  }
}
