import { type RegistrySaveProblem, saveProblemWords } from './registry-save-problem.ts';

/**
 * Says, in words, that the list on screen could not be kept on this device for use without a
 * network, and the reason the resolver gave. A polite status like the freshness banner: the list
 * works now, nothing needs doing at once. Render only for `useRegistrySaveProblem`'s problem.
 */
export function RegistryNotSavedBanner(props: { problem: RegistrySaveProblem }) {
  return (
    <div role="status" aria-label="Offline copy" className="cartae-web__banner">
      {saveProblemWords(props.problem).map((line) => (
        <p key={line}>{line}</p>
      ))}
    </div>
  );
}
