import type { SourceKind } from '@cartae/marketplace-core';
import { Fact } from './Fact.tsx';
import type { ConfigView } from './registry-view.ts';
import { signatureLabel } from './signature-label.ts';
import { sourceLabel } from './source-label.ts';
import { installOrderWords, servedWords, sourceModeWords } from './source-words.ts';

export interface SourceFactsProps {
  readonly source: SourceKind | undefined;
  readonly url: string | undefined;
  readonly registryVersion: number | undefined;
  readonly config: ConfigView;
  /** The resolver served the list from a source other than the one it tried first. */
  readonly fallback: boolean;
  /** Every source failed: the list is the last good copy. */
  readonly stale: boolean;
  /** Key id that signed the registry shown, as the resolver verified it. */
  readonly signedBy: string | undefined;
  /** The app ships trusted keys, so every registry it shows was verified. */
  readonly checksSignatures: boolean;
}

/**
 * Where the plugin list came from, in words: the config's source mode, the order this install
 * tries the sources in, which source served the list and how (first choice, fallback, saved
 * copy), its URL, the versions in use and who signed it.
 */
export function SourceFacts(props: SourceFactsProps) {
  const { plan } = props.config;
  return (
    <section aria-labelledby="cartae-web-source-heading" className="cartae-web__panel">
      <h2 id="cartae-web-source-heading" className="cartae-web__visually-hidden">
        Marketplace source
      </h2>
      <dl className="cartae-web__facts">
        <Fact term="Source mode" live>
          {sourceModeWords(plan)}
        </Fact>
        <Fact term="This install" live>
          {installOrderWords(plan)}
        </Fact>
        <Fact term="Served by" live className="cartae-web__source">
          {props.source ? sourceLabel(props.source) : '—'}
        </Fact>
        <Fact term="How it was served" live>
          {props.source
            ? servedWords(plan, { source: props.source, fallback: props.fallback, stale: props.stale })
            : '—'}
        </Fact>
        <Fact term="Registry version">{props.registryVersion ?? '—'}</Fact>
        <Fact term="Registry signature" live>
          {props.source ? signatureLabel(props.signedBy, props.checksSignatures) : '—'}
        </Fact>
        <Fact term="Config version" live>
          {props.config.version ?? 'built-in'}
        </Fact>
        <Fact term="Registry URL" className="cartae-web__url">
          {props.url ? (
            <a href={props.url} rel="noreferrer" target="_blank">
              <code>{props.url}</code>
            </a>
          ) : (
            '—'
          )}
        </Fact>
      </dl>
    </section>
  );
}
