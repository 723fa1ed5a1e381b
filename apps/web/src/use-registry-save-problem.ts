import type { MarketplaceSourceResolver } from '@cartae/marketplace-resolver';
import { useEffect, useReducer } from 'react';
import { nextSaveProblem, type RegistrySaveProblem, shownSaveProblem } from './registry-save-problem.ts';
import type { RegistryView } from './registry-view.ts';

/**
 * The save problem of the list on screen: set when the resolver announces `registry-not-saved`,
 * over once a list of another version is shown without one (`registry-save-problem.ts`). Listens
 * from the first render, so an announcement made during the first read is not missed.
 */
export function useRegistrySaveProblem(
  resolver: MarketplaceSourceResolver,
  view: RegistryView,
): RegistrySaveProblem | undefined {
  const [problem, dispatch] = useReducer(nextSaveProblem, undefined);
  useEffect(
    () =>
      resolver.subscribe((event) => {
        if (event.type !== 'registry-not-saved') return;
        const { version, code, message } = event;
        dispatch({ kind: 'not-saved', version, code, message });
      }),
    [resolver],
  );
  const shownVersion = view.kind === 'ready' ? view.registry.version : undefined;
  useEffect(() => {
    if (shownVersion !== undefined) dispatch({ kind: 'shown', version: shownVersion });
  }, [shownVersion]);
  return shownSaveProblem(view, problem);
}
