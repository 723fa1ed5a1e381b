import type { PluginEntry } from '@cartae/marketplace-core';
import { describe, expect, it } from 'vitest';
import { filterPlugins, preparePluginSearch } from './filter-plugins.ts';

const plugin = (id: string, name: string, author: string, tags: string[], description = ''): PluginEntry => ({
  id,
  name,
  version: '1.0.0',
  description,
  author,
  downloadUrl: `https://example.com/${id}.zip`,
  sha256: 'a'.repeat(64),
  minAppVersion: '1.0.0',
  tags,
});

const plugins = [
  plugin(
    'kanban-swimlanes',
    'Kanban Swimlanes',
    'Mira Okafor',
    ['kanban', 'boards'],
    'Group cards into lanes.',
  ),
  plugin('anki-import', 'Anki Import', 'Ana Kovač', ['learning']),
  plugin('pdf-export', 'PDF Export', 'Cartae Team', ['export'], 'Paginated PDF.'),
];

describe('filterPlugins', () => {
  it.each([
    ['', ['kanban-swimlanes', 'anki-import', 'pdf-export']],
    ['   ', ['kanban-swimlanes', 'anki-import', 'pdf-export']],
    ['KANBAN', ['kanban-swimlanes']],
    ['kanban lanes', ['kanban-swimlanes']],
    ['kanban pdf', []],
    ['kovac', ['anki-import']],
    ['learning', ['anki-import']],
    ['paginated', ['pdf-export']],
    ['pdf-export', ['pdf-export']],
  ])('"%s" → %j', (query, ids) => {
    expect(filterPlugins(plugins, query).map((p) => p.id)).toEqual(ids);
  });

  it('answers an empty query with the registry’s own array, so a memoised list does not re-render', () => {
    expect(filterPlugins(plugins, ' ')).toBe(plugins);
  });

  it('prepares a registry once, whatever the number of searches', () => {
    const index = preparePluginSearch(plugins);
    filterPlugins(plugins, 'kanban');
    filterPlugins(plugins, 'anki');
    expect(preparePluginSearch(plugins)).toBe(index);
    expect(index.folded[1]).toContain('ana kovac');
  });
});
