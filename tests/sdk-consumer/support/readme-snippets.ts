import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './consumer-project.ts';

/**
 * The runnable (```js) blocks of the resolver README's "Usage" section, exactly as written: the
 * ES module ones in order, and the CommonJS one (the block that calls `require`).
 */
export function readmeUsageSnippets(): { esm: string[]; cjs: string[] } {
  const readme = readFileSync(join(repoRoot, 'packages/marketplace-resolver/README.md'), 'utf8');
  const start = readme.indexOf('\n## Usage\n');
  const end = readme.indexOf('\n## ', start + 1);
  if (start < 0 || end < 0) throw new Error('the resolver README has no "## Usage" section');
  const blocks = [...readme.slice(start, end).matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return {
    esm: blocks.filter((block) => !block.includes('require(')),
    cjs: blocks.filter((block) => block.includes('require(')),
  };
}

/** What the snippets call but leave to the app (`render`, `showEmptyState`). */
export const APP_FUNCTIONS = `
function render(plugins, info) { globalThis.rendered = { plugins: plugins.map((p) => p.id), ...info }; }
function showEmptyState(message) { globalThis.rendered = { empty: message }; }
`;
