import type { SourceKind } from '@cartae/marketplace-core';
import { Fact } from './Fact.tsx';
import type { ConfigView } from './registry-view.ts';
import { signatureLabel } from './signature-label.ts';
import { sourceLabel } from './source-label.ts';

export interface SourceFactsProps {
  readonly source: SourceKind | undefined;
  readonly url: string | undefined;
  readonly registryVersion: number | undefined;
  readonly config: ConfigView;
  readonly fallback: boolean;
  /** Key id that signed the registry shown, as the resolver verified it. */
  readonly signedBy: string | undefined;
  /** The app ships trusted keys, so every registry it shows was verified. */
  readonly checksSignatures: boolean;
}

/** Where the plugin list came from: which source, its URL, the versions in use and who signed it. */
export function SourceFacts(props: SourceFactsProps) {
  return (
    <section aria-labelledby="cartae-web-source-heading" className="cartae-web__panel">
      <h2 id="cartae-web-source-heading" className="cartae-web__visually-hidden">
        Marketplace source
      </h2>
      <dl className="cartae-web__facts">
        <Fact term="Served by" live className="cartae-web__source">
          {props.source ? sourceLabel(props.source) : '—'}
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
      {props.fallback && props.source && (
        <p className="cartae-web__hint">
          {sourceLabel(props.source)} answered because the first-choice source did not.
        </p>
      )}
    </section>
  );
}
