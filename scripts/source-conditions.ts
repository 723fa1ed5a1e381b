/**
 * The workspace's own tools run the SDK packages from their TypeScript sources: each package's
 * `exports` lists `@cartae/source` (→ `src/*.ts`) before the built `dist/` that npm users get.
 * Vite and Vitest resolve it once it is among their conditions; tsc has it in `customConditions`
 * (tsconfig.base.json); wrangler through `alias` (wrangler.jsonc); tsx with
 * `node --conditions=@cartae/source`. Published consumers never set it.
 */
export const SOURCE_CONDITION = '@cartae/source';

/**
 * Vite settings that put {@link SOURCE_CONDITION} first, keeping Vite's defaults (a `conditions`
 * list replaces them), for the client, SSR and Vitest's own `__vitest__` environment (the one that
 * loads global setup files). Pass the defaults of the Vite the config runs on:
 *
 * @example
 * import { defaultClientConditions, defaultServerConditions } from 'vite';
 * export default defineConfig({ ...sourceConditions(defaultClientConditions, defaultServerConditions) });
 */
export function sourceConditions(client: readonly string[], server: readonly string[]) {
  const serverConditions = [SOURCE_CONDITION, ...server];
  return {
    resolve: { conditions: [SOURCE_CONDITION, ...client] },
    ssr: { resolve: { conditions: serverConditions } },
    environments: { __vitest__: { resolve: { conditions: serverConditions } } },
  };
}
