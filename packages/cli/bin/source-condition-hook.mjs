// Resolves the workspace packages to their TypeScript sources through the `@cartae/source` export
// condition, as `node --conditions=@cartae/source` would (see scripts/source-conditions.ts). The
// CLI runs from the repository, never from a build.
import * as nodeModule from 'node:module';

function withSourceCondition(context) {
  if (context.conditions.includes('@cartae/source')) return context;
  return { ...context, conditions: ['@cartae/source', ...context.conditions] };
}

/** The hook itself, for `module.register` (Node < 22.15, which has no `registerHooks`). */
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, withSourceCondition(context));
}

/** Registers the hook: in-thread where Node has `registerHooks` (`register` is deprecated there). */
export function registerSourceCondition() {
  if (typeof nodeModule.registerHooks === 'function') {
    nodeModule.registerHooks({
      resolve: (specifier, context, nextResolve) => nextResolve(specifier, withSourceCondition(context)),
    });
  } else {
    nodeModule.register('./source-condition-hook.mjs', import.meta.url);
  }
}
