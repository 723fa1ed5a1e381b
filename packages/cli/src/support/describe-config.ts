import { isSourceKind, SOURCE_KIND_TABLE, SOURCE_TYPES } from '@cartae/marketplace-core';
import type { ControlPlaneConfig } from '@cartae/plugin-admin/service';

const LABEL_WIDTH = 'control plane: '.length;
const labelled = (label: string, value: string) => `${`${label}:`.padEnd(LABEL_WIDTH)}${value}`;

/** `git:           https://…`: each source's URL, in `SOURCE_TYPES` order (Git first, as the switches). */
function sourceUrlLines(document: Record<string, unknown>): string[] {
  return SOURCE_TYPES.filter(isSourceKind).map((kind) => {
    const { shortLabel, urlField } = SOURCE_KIND_TABLE[kind];
    return labelled(shortLabel.toLowerCase(), String(document[urlField] ?? '—'));
  });
}

/**
 * One paragraph a person reads: which source, which URLs, which version; first, when given, the
 * control plane it was read from. Every line labelled, values in one column.
 */
export function describeConfig(config: ControlPlaneConfig, controlPlane?: string): string {
  const d = config.document;
  const priority = Array.isArray(d.priority) ? d.priority.join(' → ') : String(d.type);
  const lines = [
    ...(controlPlane ? [labelled('control plane', controlPlane)] : []),
    labelled(
      'source',
      `${String(d.type)}${d.type === 'hybrid' ? ` (${priority}, canary ${d.canaryPercent ?? 100}%)` : ''}`,
    ),
    labelled('version', `${config.version} (updated ${config.updatedAt})`),
    ...sourceUrlLines(d),
    labelled(
      'ttl',
      `${String(d.cacheTtlSeconds ?? 300)} s · fallback ${d.fallbackOnError === false ? 'off' : 'on'} · health checks ${d.healthCheckEnabled === false ? 'off' : 'on'}`,
    ),
  ];
  return lines.join('\n');
}
