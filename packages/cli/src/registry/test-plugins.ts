import type { PluginEntry } from '@cartae/marketplace-core';

/** A valid plugin entry for tests; override any field. */
export function samplePlugin(id: string, overrides: Partial<PluginEntry> = {}): PluginEntry {
  return {
    id,
    name: `Plugin ${id}`,
    version: '1.0.0',
    description: `What ${id} does.`,
    author: 'Test Author',
    downloadUrl: `https://github.com/cartae-plugins/${id}/releases/download/v1.0.0/${id}.zip`,
    sha256: 'ab'.repeat(32),
    minAppVersion: '1.0.0',
    tags: ['test'],
    ...overrides,
  };
}
