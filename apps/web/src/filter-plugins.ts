import type { PluginEntry } from '@cartae/marketplace-core';

/**
 * The plugins matching a search: every word of the query must appear in the name, id,
 * description, author or tags (case- and accent-insensitive). An empty query matches all.
 *
 * @example
 * filterPlugins(plugins, 'kanban lane'); // Kanban Swimlanes
 */
export function filterPlugins(plugins: readonly PluginEntry[], query: string): readonly PluginEntry[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return plugins;
  return plugins.filter((plugin) => {
    const haystack = fold(
      [plugin.name, plugin.id, plugin.description, plugin.author, ...plugin.tags].join(' '),
    );
    return words.every((word) => haystack.includes(word));
  });
}

function fold(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}
