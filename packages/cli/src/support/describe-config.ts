import { isSourceKind, SOURCE_KIND_TABLE, SOURCE_TYPES } from '@cartae/marketplace-core';
import type { ControlPlaneConfig, HistoryEntry } from '@cartae/plugin-admin/service';

/** `git:      https://…`: each source's URL, in `SOURCE_TYPES` order (Git first, as the switches). */
function sourceUrlLines(document: Record<string, unknown>): string[] {
  return SOURCE_TYPES.filter(isSourceKind).map((kind) => {
    const { shortLabel, urlField } = SOURCE_KIND_TABLE[kind];
    return `${`${shortLabel.toLowerCase()}:`.padEnd(10)}${String(document[urlField] ?? '—')}`;
  });
}

/** One paragraph a person reads: which source, which URLs, which version. */
export function describeConfig(config: ControlPlaneConfig): string {
  const d = config.document;
  const priority = Array.isArray(d.priority) ? d.priority.join(' → ') : String(d.type);
  const lines = [
    `source:   ${String(d.type)}${d.type === 'hybrid' ? ` (${priority}, canary ${d.canaryPercent ?? 100}%)` : ''}`,
    `version:  ${config.version} (updated ${config.updatedAt})`,
    ...sourceUrlLines(d),
    `ttl:      ${String(d.cacheTtlSeconds ?? 300)} s · fallback ${d.fallbackOnError === false ? 'off' : 'on'} · health checks ${d.healthCheckEnabled === false ? 'off' : 'on'}`,
  ];
  return lines.join('\n');
}

export function describeHistoryEntry(e: HistoryEntry): string {
  const who = e.changedByName ? `${e.changedByName} <${e.changedByEmail}>` : (e.changedByEmail ?? 'system');
  return `#${e.id}  v${e.version}  ${e.changedAt}  ${e.origin.padEnd(11)} ${String(e.newValue.type).padEnd(10)} ${who}${e.reason ? `  “${e.reason}”` : ''}`;
}
