import { AUTO_SWITCH_TARGETS, type AutoSwitchSettings } from '@cartae/marketplace-core';
import { presetOf, SOURCE_PRESETS } from './source-presets.ts';

/**
 * How long the database waits after an automatic switch before it may switch again: `c_cooldown`
 * at the top of `marketplace_private.evaluate_fleet_automation`
 * (supabase/migrations/20261130200000_fleet_auto_switch.sql). Mirrored here to show when the
 * cooldown ends; a migration that changes it must change this too.
 */
export const AUTO_SWITCH_COOLDOWN_MS = 60 * 60_000;

/** The history entry fields the state needs (a `HistoryEntry` fits). */
export interface AutoSwitchHistoryEntry {
  readonly version: number;
  readonly changedAt: string;
  readonly origin: string;
}

/** The last automatic switch: its version, when, and when its cooldown ends (epoch ms). */
export interface LastAutoSwitch {
  readonly version: number;
  readonly at: number;
  readonly coolsDownAt: number;
}

/** What the automatic switch will do now, as `evaluate_fleet_automation` would judge it. */
export type AutoSwitchState =
  | { readonly kind: 'off'; readonly last?: LastAutoSwitch }
  | { readonly kind: 'on-target'; readonly settings: AutoSwitchSettings; readonly last?: LastAutoSwitch }
  | { readonly kind: 'cooling-down'; readonly settings: AutoSwitchSettings; readonly last: LastAutoSwitch }
  | { readonly kind: 'armed'; readonly settings: AutoSwitchSettings; readonly last?: LastAutoSwitch };

/** `autoSwitch` when it is switched on and readable; `undefined` when off (or any odd shape). */
export function armedSettings(document: Record<string, unknown>): AutoSwitchSettings | undefined {
  const auto = document.autoSwitch;
  if (typeof auto !== 'object' || auto === null) return undefined;
  const { enabled, rateLimitedPercent, windowMinutes, target } = auto as Record<string, unknown>;
  if (enabled !== true || typeof rateLimitedPercent !== 'number' || typeof windowMinutes !== 'number') {
    return undefined;
  }
  if (!(AUTO_SWITCH_TARGETS as readonly unknown[]).includes(target)) return undefined;
  return { enabled, rateLimitedPercent, windowMinutes, target: target as AutoSwitchSettings['target'] };
}

/** The latest `auto-switch` entry of a newest-first history, with its cooldown. */
export function lastAutoSwitch(history: readonly AutoSwitchHistoryEntry[]): LastAutoSwitch | undefined {
  const entry = history.find((e) => e.origin === 'auto-switch');
  const at = entry ? Date.parse(entry.changedAt) : Number.NaN;
  if (!entry || !Number.isFinite(at)) return undefined;
  return { version: entry.version, at, coolsDownAt: at + AUTO_SWITCH_COOLDOWN_MS };
}

/**
 * The automatic switch's state from the current document and the history (newest first), in the
 * database's order: off, already on the target, cooling down, armed. Pure; `now` in epoch ms.
 */
export function autoSwitchState(
  document: Record<string, unknown>,
  history: readonly AutoSwitchHistoryEntry[],
  now: number,
): AutoSwitchState {
  const last = lastAutoSwitch(history);
  const lastPart = last ? { last } : {};
  const settings = armedSettings(document);
  if (!settings) return { kind: 'off', ...lastPart };
  if (presetOf(document)?.id === settings.target) return { kind: 'on-target', settings, ...lastPart };
  if (last && now < last.coolsDownAt) return { kind: 'cooling-down', settings, last };
  return { kind: 'armed', settings, ...lastPart };
}

/** `Cloudflare CDN`, `Hybrid, CDN first then Git`: a target as the switches name it. */
export function targetName(target: string): string {
  return SOURCE_PRESETS.find((p) => p.id === target)?.name ?? target;
}

/** "switches to Cloudflare CDN when Git is rate-limited for ≥ 70 % of requests and of installs over 10 min" */
export function describeRule(settings: AutoSwitchSettings): string {
  return `switches to ${targetName(settings.target)} when Git is rate-limited for ≥ ${settings.rateLimitedPercent} % of requests and of installs over ${settings.windowMinutes} min`;
}

/** "12 min ago", "just now", "3 h 5 min ago". */
export function ago(at: number, now: number): string {
  const minutes = Math.max(0, Math.floor((now - at) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/**
 * The state in one sentence after "Automatic switch: ", e.g.
 * "armed — switches to Cloudflare CDN when …" or "fired 12 min ago (v16), cooling down until 3:45 PM".
 * `time` writes a clock time (the browser's locale by default).
 */
export function describeAutoSwitchState(
  state: AutoSwitchState,
  now: number,
  time: (ms: number) => string = (ms) =>
    new Date(ms).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' }),
): string {
  const fired = state.last ? `fired ${ago(state.last.at, now)} (v${state.last.version})` : undefined;
  const cooling =
    state.last && now < state.last.coolsDownAt ? `, cooling down until ${time(state.last.coolsDownAt)}` : '';
  switch (state.kind) {
    case 'off':
      return 'off';
    case 'on-target':
      return `already on its target (${targetName(state.settings.target)})${fired ? ` — ${fired}${cooling}` : ''}`;
    case 'cooling-down':
      return `${fired}${cooling} — then ${describeRule(state.settings)}`;
    case 'armed':
      return `armed — ${describeRule(state.settings)}`;
  }
}
