import { describe, expect, it } from 'vitest';
import { realPluginIds } from '../../../tests/fixtures/real-registry.ts';
import { buildRegistry } from '../../../tests/fixtures/registry-builder.ts';
import { checkRegistryDocument } from './parse-registry.ts';
import { PLUGIN_ID_PATTERN, pluginIdFor, pluginIdsFor } from './registry-document.ts';

const now = Date.parse('2026-06-01T00:00:00Z');

/** A registry whose entries carry these ids. */
function registryWith(ids: readonly string[]) {
  const template = buildRegistry({ plugins: 1 }).plugins[0];
  return { ...buildRegistry({ plugins: 0 }), plugins: ids.map((id) => ({ ...template, id })) };
}

describe('plugin ids (SPEC 3.2)', () => {
  it.each([
    ['ObsidianAnkiSync', 'obsidianankisync'],
    ['DEVONlink-obsidian', 'devonlink-obsidian'],
    ['macOS-keyboard-nav-obsidian', 'macos-keyboard-nav-obsidian'],
    ['obsidian-git', 'obsidian-git'],
    ['-Leading', undefined],
    ['İstanbul', undefined],
  ])('pluginIdFor(%j) is %j', (published, expected) => {
    expect(pluginIdFor(published)).toBe(expected);
  });

  it('carries every one of the 6,858 real ids: 4 lower-cased, none colliding, the registry accepts them', async () => {
    const published = await realPluginIds();
    expect(published).toHaveLength(6858);
    const mapped = pluginIdsFor(published);
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    const changed = published.filter((id) => mapped.ids.get(id) !== id);
    expect(changed.sort()).toEqual([
      'DEVONlink-obsidian',
      'OA-file-hider',
      'ObsidianAnkiSync',
      'macOS-keyboard-nav-obsidian',
    ]);
    const ids = published.map((id) => mapped.ids.get(id) as string);
    expect(new Set(ids).size).toBe(6858);
    const checked = checkRegistryDocument(registryWith(ids), { now });
    expect(checked.ok && checked.value.plugins.length).toBe(6858);
  });

  it('refuses the published ids with capitals as they are, saying how they are carried', () => {
    const checked = checkRegistryDocument(registryWith(['ObsidianAnkiSync']), { now });
    expect(!checked.ok && checked.error.message).toContain(
      'an id published with capitals is carried lower-cased',
    );
    expect(PLUGIN_ID_PATTERN.test('ObsidianAnkiSync')).toBe(false);
  });

  it('refuses two published ids that differ only by case, naming both', () => {
    expect(pluginIdsFor(['ObsidianAnkiSync', 'obsidian-git', 'obsidianankisync'])).toEqual({
      ok: false,
      refused: [
        {
          id: 'obsidianankisync',
          reason: 'same id as "ObsidianAnkiSync" ignoring case ("obsidianankisync")',
        },
      ],
    });
    const checked = checkRegistryDocument(registryWith(['obsidian-git', 'obsidian-git']), { now });
    expect(!checked.ok && checked.error.message).toContain('duplicate plugin id "obsidian-git"');
  });
});
