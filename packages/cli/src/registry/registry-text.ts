import type { PluginEntry, RegistryDocument } from '@cartae/marketplace-core';

/**
 * A plugin entry with its fields in the schema's order, so the bytes never depend on the order a
 * person happened to type them in.
 */
export function canonicalPlugin(entry: PluginEntry): PluginEntry {
  return {
    id: entry.id,
    name: entry.name,
    version: entry.version,
    description: entry.description,
    author: entry.author,
    downloadUrl: entry.downloadUrl,
    sha256: entry.sha256,
    minAppVersion: entry.minAppVersion,
    tags: [...entry.tags],
  };
}

/**
 * The exact bytes both sources serve for a registry: fixed key order, 2-space indent, trailing
 * newline. Same document in, same text out.
 *
 * @example
 * registryText(document); // '{\n  "schemaVersion": 1,\n  "version": 4,\n ...}\n'
 */
export function registryText(document: RegistryDocument): string {
  const ordered = {
    schemaVersion: document.schemaVersion,
    version: document.version,
    generatedAt: document.generatedAt,
    expires: document.expires,
    plugins: document.plugins.map(canonicalPlugin),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
