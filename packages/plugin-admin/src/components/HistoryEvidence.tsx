import { formatEvidence } from '../model/history-evidence.ts';

/**
 * The figures behind an automatic change (`app_config_history.evidence`): known ones in words,
 * unknown keys as a small key/value list, "No figures recorded." when there are none.
 */
export function HistoryEvidence(props: { evidence: unknown; version: number }) {
  const { sentences, others } = formatEvidence(props.evidence);
  const label = `Evidence for version ${props.version}`;
  if (sentences.length === 0 && others.length === 0) {
    return <p className="cartae-admin__hint">No figures recorded.</p>;
  }
  return (
    <section aria-label={label} className="cartae-admin__evidence">
      <p className="cartae-admin__evidence-title">Evidence</p>
      {sentences.length > 0 && (
        <ul>
          {sentences.map((sentence) => (
            <li key={sentence}>{sentence}</li>
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <dl aria-label={`Other figures for version ${props.version}`}>
          {others.map(({ key, value }) => (
            <div key={key}>
              <dt>
                <code>{key}</code>
              </dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
