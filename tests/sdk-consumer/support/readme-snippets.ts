import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './consumer-project.ts';

/** The runnable (```js) blocks of one `## ` section of the resolver README, exactly as written. */
function readmeBlocks(section: string): string[] {
  const readme = readFileSync(join(repoRoot, 'packages/marketplace-resolver/README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${section}\n`);
  const end = readme.indexOf('\n## ', start + 1);
  if (start < 0 || end < 0) throw new Error(`the resolver README has no "## ${section}" section`);
  return [...readme.slice(start, end).matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

/**
 * The runnable (```js) blocks of the resolver README's "Usage" section, exactly as written: the
 * ES module ones in order, and the CommonJS one (the block that calls `require`).
 */
export function readmeUsageSnippets(): { esm: string[]; cjs: string[] } {
  const blocks = readmeBlocks('Usage');
  return {
    esm: blocks.filter((block) => !block.includes('require(')),
    cjs: blocks.filter((block) => block.includes('require(')),
  };
}

/** The module Worker of the README's "In a Cloudflare Worker" section (its one ```js block). */
export function readmeWorkerSnippet(): string {
  const blocks = readmeBlocks('In a Cloudflare Worker');
  if (blocks.length !== 1)
    throw new Error(`expected one js block in "In a Cloudflare Worker", found ${blocks.length}`);
  return blocks[0] ?? '';
}

/** What the snippets call but leave to the app (`render`, `showEmptyState`). */
export const APP_FUNCTIONS = `
function render(plugins, info) { globalThis.rendered = { plugins: plugins.map((p) => p.id), ...info }; }
function showEmptyState(message) { globalThis.rendered = { empty: message }; }
`;

const IMPORT = /^import\s[\s\S]*?\sfrom\s+['"][^'"]+['"];?[ \t]*$/gm;

/**
 * A module Worker whose fetch handler runs the "Usage" ES module snippets as written and answers
 * `{ url, stats, rendered }` as JSON. Their imports move to module scope (where a module's imports
 * must be); the rest runs in the handler, because workerd allows no I/O at module scope.
 */
export function usageSnippetsAsWorker(esm: readonly string[]): string {
  const code = esm.join('\n');
  const imports = code.match(IMPORT) ?? [];
  const body = code.replace(IMPORT, '');
  return `${imports.join('\n')}
${APP_FUNCTIONS}
export default {
  async fetch() {
${body}
    marketplaceSourceResolver.dispose();
    return Response.json({ url, stats, rendered: globalThis.rendered });
  },
};
`;
}
