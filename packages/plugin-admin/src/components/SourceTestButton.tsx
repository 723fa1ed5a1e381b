import type { SourceKind } from '@cartae/marketplace-core';
import { useState } from 'react';
import type { SourceTestResult } from '../service/test-source.ts';

/** "Test" next to a source URL: fetches the registry from this browser and shows ✅ or ❌ with figures. */
export function SourceTestButton(props: {
  kind: SourceKind;
  label: string;
  url: string;
  test: (kind: SourceKind, url: string) => Promise<SourceTestResult>;
  /** Told each result with the URL it was for, so the review step can warn about it. */
  onResult?: (url: string, result: SourceTestResult) => void;
}) {
  const [result, setResult] = useState<SourceTestResult | undefined>();
  const [testing, setTesting] = useState(false);

  async function run() {
    setTesting(true);
    setResult(undefined);
    try {
      const url = props.url;
      const tested = await props.test(props.kind, url);
      setResult(tested);
      props.onResult?.(url, tested);
    } finally {
      setTesting(false);
    }
  }

  return (
    <div className="cartae-admin__test">
      <button
        type="button"
        onClick={run}
        disabled={testing || props.url.trim() === ''}
        aria-label={`Test ${props.label}`}
      >
        {testing ? 'Testing…' : 'Test'}
      </button>
      <output aria-live="polite" aria-label={`${props.label} test result`}>
        {result &&
          (result.ok ? (
            <span className="cartae-admin__ok">
              ✅ OK · {result.responseTimeMs} ms · registry version {result.registryVersion} ·{' '}
              {result.pluginCount} plugins
              {result.rateLimitRemaining === undefined ? '' : ` · ${result.rateLimitRemaining} requests left`}
            </span>
          ) : (
            <span className="cartae-admin__bad">
              ❌ {result.error}
              {result.responseTimeMs === undefined ? '' : ` · ${result.responseTimeMs} ms`}
            </span>
          ))}
      </output>
    </div>
  );
}
