import { isRegistryJws, type PluginEntry, type RegistryDocument } from '@cartae/marketplace-core';
import type { RegistrySnapshot } from './registry-snapshot.ts';

/** Plugins by id for one snapshot, built once per snapshot and isolate. */
export type PluginIndex = ReadonlyMap<string, PluginEntry>;

const indexes = new WeakMap<ArrayBuffer, PluginIndex>();

function decodeBase64Url(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/**
 * The registry document inside a stored snapshot. The mirror validated (and, when signed, verified)
 * these bytes before storing them, so this only decodes: a signed snapshot's payload is unwrapped.
 */
function documentOf(snapshot: RegistrySnapshot): RegistryDocument {
  const value: unknown = JSON.parse(new TextDecoder().decode(snapshot.bytes));
  if (!isRegistryJws(value)) return value as RegistryDocument;
  return JSON.parse(new TextDecoder().decode(decodeBase64Url(value.payload))) as RegistryDocument;
}

/**
 * The plugins of a snapshot by id.
 *
 * @example
 * pluginIndexOf(snapshot).get('kanban'); // PluginEntry | undefined
 */
export function pluginIndexOf(snapshot: RegistrySnapshot): PluginIndex {
  const cached = indexes.get(snapshot.bytes);
  if (cached !== undefined) return cached;
  const index = new Map(documentOf(snapshot).plugins.map((plugin) => [plugin.id, plugin] as const));
  indexes.set(snapshot.bytes, index);
  return index;
}
