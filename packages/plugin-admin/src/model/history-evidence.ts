import { rolloutSentences, sourceWords } from './rollout-evidence.ts';

/**
 * How the history names an entry's origin. Automatic origins say "Automatic" in words (the panel
 * draws its icon beside them; no emoji, which renders as a box without an emoji font); an origin
 * this panel does not know yet is shown as the database wrote it.
 */
const ORIGIN_LABELS: Record<string, string> = {
  migration: 'installed',
  admin: 'admin change',
  rollback: 'rollback',
  'auto-switch': 'Automatic switch',
  'auto-rollback': 'Automatic rollback',
  'auto-ramp': 'Canary promoted automatically',
};

/** `admin change`, `Automatic switch`; any other string as it is, a missing one as `unknown origin`. */
export function originLabel(origin: unknown): string {
  if (typeof origin !== 'string' || origin === '') return 'unknown origin';
  return Object.hasOwn(ORIGIN_LABELS, origin) ? (ORIGIN_LABELS[origin] as string) : origin;
}

/** Was the change made by the control plane itself (`auto-…`) rather than by a person? */
export function isAutomaticOrigin(origin: unknown): boolean {
  return typeof origin === 'string' && origin.startsWith('auto-');
}

/** An evidence object read for people: known figures as sentences, the rest as key/value pairs. */
export interface EvidenceView {
  readonly sentences: readonly string[];
  readonly others: readonly { key: string; value: string }[];
}

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const count = (n: number) => n.toLocaleString('en-US');
const percent = (n: number) => `${n.toLocaleString('en-US', { maximumFractionDigits: 1 })} %`;

function otherValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return count(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/**
 * `app_config_history.evidence` (the figures behind an automatic change) in words: the window, the
 * rate-limited requests and install-minutes against the threshold, the minimum evidence. Keys it
 * does not know, and figures of an unexpected type, are listed as they are. Never throws; null,
 * undefined and `{}` give nothing to show. Pure; `time` writes a clock time.
 *
 * @example
 * formatEvidence({ requests: 1234, rateLimited: 1017, rateLimitedPercent: 82.4 }).sentences
 * // ['1,017 of 1,234 Git requests were rate-limited (82.4 %).']
 */
export function formatEvidence(
  evidence: unknown,
  time: (ms: number) => string = (ms) =>
    new Date(ms).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' }),
): EvidenceView {
  if (evidence === null || evidence === undefined) return { sentences: [], others: [] };
  if (typeof evidence !== 'object' || Array.isArray(evidence)) {
    return { sentences: [], others: [{ key: 'evidence', value: otherValue(evidence) }] };
  }
  const e = evidence as Record<string, unknown>;
  const used = new Set<string>();
  const take = (...keys: string[]) => {
    for (const key of keys) used.add(key);
  };
  const sentences: string[] = [];
  const source = sourceWords(e.source) ?? sourceWords(e.sources) ?? 'Git';
  if (sourceWords(e.source) !== undefined) take('source');
  else if (sourceWords(e.sources) !== undefined) take('sources');

  const windowMinutes = num(e.windowMinutes);
  const from = typeof e.from === 'string' ? Date.parse(e.from) : Number.NaN;
  const to = typeof e.to === 'string' ? Date.parse(e.to) : Number.NaN;
  if (windowMinutes !== undefined || (Number.isFinite(from) && Number.isFinite(to))) {
    const span = Number.isFinite(from) && Number.isFinite(to) ? ` (${time(from)}–${time(to)})` : '';
    if (span) take('from', 'to');
    if (windowMinutes !== undefined) take('windowMinutes');
    sentences.push(
      `Window: ${windowMinutes !== undefined ? `${count(windowMinutes)} min` : 'complete minutes'}${span}.`,
    );
  }
  const [requests, limited, limitedPct] = [num(e.requests), num(e.rateLimited), num(e.rateLimitedPercent)];
  if (requests !== undefined && limited !== undefined) {
    take('requests', 'rateLimited');
    if (limitedPct !== undefined) take('rateLimitedPercent');
    sentences.push(
      `${count(limited)} of ${count(requests)} ${source} requests were rate-limited${limitedPct !== undefined ? ` (${percent(limitedPct)})` : ''}.`,
    );
  }
  const [installMinutes, limitedIm, limitedImPct] = [
    num(e.installMinutes),
    num(e.rateLimitedInstallMinutes),
    num(e.rateLimitedInstallsPercent),
  ];
  if (installMinutes !== undefined && limitedIm !== undefined) {
    take('installMinutes', 'rateLimitedInstallMinutes');
    if (limitedImPct !== undefined) take('rateLimitedInstallsPercent');
    sentences.push(
      `${count(limitedIm)} of ${count(installMinutes)} install-minutes were rate-limited${limitedImPct !== undefined ? ` (${percent(limitedImPct)})` : ''}.`,
    );
  }
  const installs = num(e.installs);
  if (installs !== undefined) {
    take('installs');
    sentences.push(`${count(installs)} installs reported in the busiest minute.`);
  }
  const threshold = num(e.thresholdPercent);
  if (threshold !== undefined) {
    take('thresholdPercent');
    sentences.push(`Threshold: ${percent(threshold)} of requests and of install-minutes.`);
  }
  sentences.push(...rolloutSentences(e, take, source));
  const [minInstalls, minRequests] = [num(e.minInstalls), num(e.minRequests)];
  if (minInstalls !== undefined && minRequests !== undefined) {
    take('minInstalls', 'minRequests');
    sentences.push(`Needs at least ${count(minInstalls)} installs and ${count(minRequests)} requests.`);
  }
  const others = Object.entries(e)
    .filter(([key]) => !used.has(key))
    .map(([key, value]) => ({ key, value: otherValue(value) }));
  return { sentences, others };
}
