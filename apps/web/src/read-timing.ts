/** Where the time of one registry read went, as the page measured it. */
export interface ReadTiming {
  /** The download of the registry that was shown: request sent → last byte in; undefined when no request was made. */
  readonly networkMs: number | undefined;
  /** From the last byte (or the call, without a request) to the registry in hand: parsing, checks, storage. */
  readonly processingMs: number;
}

/** One `getRegistry()` call as the page saw it: the URL that answered, and when the call began and ended. */
export interface ReadSpan {
  readonly url: string;
  /** `performance.now()` before the call. */
  readonly startedAt: number;
  /** `performance.now()` when its answer was in hand. */
  readonly endedAt: number;
}

/** The fields of a `PerformanceResourceTiming` this needs (cross-origin entries expose them too). */
export interface ResourceTimingLike {
  readonly name: string;
  readonly startTime: number;
  readonly responseEnd: number;
}

/**
 * Splits one `getRegistry()` call into network and processing time. The resolver reports one
 * duration for both (its `avgResponseTimeMs`), so the page times the call and takes the network
 * part from the browser's Resource Timing entry for the URL that answered, the latest one started
 * during the call. Pure: the page passes the call's span and the entries. The browser may add the
 * entry a task after the answer is in hand, so the page reads it when drawing, not at the answer.
 *
 * @example
 * readTiming(span, performance.getEntriesByType('resource') as PerformanceResourceTiming[]);
 */
export function readTiming(span: ReadSpan, entries: readonly ResourceTimingLike[]): ReadTiming {
  const { url, startedAt, endedAt } = span;
  let download: ResourceTimingLike | undefined;
  for (const entry of entries) {
    if (entry.startTime < startedAt || entry.responseEnd > endedAt) continue;
    if (entry.name !== url && !entry.name.startsWith(`${url}?`)) continue;
    if (download === undefined || entry.startTime >= download.startTime) download = entry;
  }
  if (download === undefined) return { networkMs: undefined, processingMs: endedAt - startedAt };
  return {
    networkMs: download.responseEnd - download.startTime,
    processingMs: Math.max(0, endedAt - download.responseEnd),
  };
}
