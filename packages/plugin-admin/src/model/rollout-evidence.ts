/**
 * The sentences for the figures behind a guarded rollout's automatic rollback and a canary
 * ramp's promotion (`app_config_history.evidence` of origins `auto-rollback` and `auto-ramp`,
 * migrations 20261201120000 and 20261201160000). Used by `formatEvidence`; `take` marks the keys
 * a sentence used. Pure.
 */
export function rolloutSentences(
  e: Readonly<Record<string, unknown>>,
  take: (...keys: string[]) => void,
  source: string,
): string[] {
  const sentences: string[] = [];
  const [fromPercent, toPercent, hold] = [num(e.fromPercent), num(e.toPercent), num(e.holdMinutes)];
  if (fromPercent !== undefined && toPercent !== undefined) {
    take('fromPercent', 'toPercent');
    sentences.push(`Canary raised from ${percent(fromPercent)} to ${percent(toPercent)} of installs.`);
  }
  const steps = Array.isArray(e.steps) && e.steps.every((s) => typeof s === 'number') ? e.steps : undefined;
  if (steps) take('steps');
  if (hold !== undefined) take('holdMinutes');
  if (steps || hold !== undefined) {
    sentences.push(
      `Ramp: ${steps ? steps.map((s) => percent(s)).join(' → ') : 'its steps'}${hold !== undefined ? `, each held ${count(hold)} min` : ''}.`,
    );
  }
  const [changed, restored] = [num(e.changedVersion), num(e.restoredVersion)];
  if (changed !== undefined && restored !== undefined) {
    take('changedVersion', 'restoredVersion');
    sentences.push(`Version ${changed} was rolled back to the content of version ${restored}.`);
  }
  const errors = errorSentence(e, source);
  if (errors) {
    take('requests', 'errors', 'errorPercent');
    sentences.push(errors);
  }
  const before = e.before;
  if (typeof before === 'object' && before !== null && !Array.isArray(before)) {
    const said = errorSentence(before as Record<string, unknown>, source);
    if (said) {
      take('before');
      sentences.push(`Before the change: ${said.charAt(0).toLowerCase()}${said.slice(1)}`);
    }
  }
  const guard = num(e.guardPercent);
  if (guard !== undefined) {
    take('guardPercent');
    sentences.push(`Rollout guard: at most ${percent(guard)} errors.`);
  }
  return sentences;
}

/** "39 of 3,900 CDN requests failed (1 %)." or undefined without both figures. */
function errorSentence(e: Readonly<Record<string, unknown>>, source: string): string | undefined {
  const [requests, errors, share] = [num(e.requests), num(e.errors), num(e.errorPercent)];
  if (requests === undefined || errors === undefined) return undefined;
  return `${count(errors)} of ${count(requests)} ${source} requests failed${share !== undefined ? ` (${percent(share)})` : ''}.`;
}

/** `git` → Git, `cloudflare` → CDN; a list joined with "+"; any other name as it is. */
export function sourceWords(value: unknown): string | undefined {
  const one = (s: unknown) => (s === 'git' ? 'Git' : s === 'cloudflare' ? 'CDN' : String(s));
  if (typeof value === 'string') return one(value);
  if (Array.isArray(value) && value.length > 0) return value.map(one).join(' + ');
  return undefined;
}

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const count = (n: number) => n.toLocaleString('en-US');
const percent = (n: number) => `${n.toLocaleString('en-US', { maximumFractionDigits: 1 })} %`;
