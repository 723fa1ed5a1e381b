import { checkUrl, type UrlPolicy } from '@cartae/marketplace-core';
import { ifNoneMatch } from '../request/entity-tags.ts';
import type { OutgoingUsageReport, UsageReportOutbox } from '../telemetry/usage-report-outbox.ts';
import type { ConfigLoadContext, ConfigLoadOutcome, ConfigProvider } from './config-provider.ts';
import { readConfigAnswer, unreachable } from './http-config-answer.ts';

/**
 * A report's content type. CORS-safelisted (and POST a safelisted method), so carrying a report
 * costs a browser no preflight beyond the one its conditional poll (`If-None-Match`) needs anyway.
 */
const REPORT_CONTENT_TYPE = 'text/plain;charset=UTF-8';

/**
 * Report-carrying polls that timed out while the polls after them were answered, before this
 * endpoint is taken not to want reports: an edge slow on POSTs alone must not cost the app polls.
 */
const MAX_POST_TIMEOUTS = 2;

export interface HttpConfigProviderOptions {
  readonly urlPolicy?: UrlPolicy;
  readonly name?: string;
}

/**
 * Reads the config from an HTTP JSON endpoint — the Worker's edge-cached `GET /api/config` —
 * with `If-None-Match`, so an unchanged config costs a 304. An answer marked `x-config-stale`
 * comes back with `stale: true`: the store adopts it only when not older than the config held,
 * and it never renews the config's TTL.
 *
 * @example
 * createHttpConfigProvider('https://marketplace.cartae.com/api/config');
 */
export function createHttpConfigProvider(
  url: string,
  options: HttpConfigProviderOptions = {},
): ConfigProvider {
  return httpConfigProvider(url, options);
}

/**
 * The HTTP config provider, optionally carrying usage reports. A background poll that follows an
 * answered poll takes the report due (if any) and becomes a `POST` of it to the same URL, still
 * conditional: the Worker answers it as the GET. Never worse than a GET: when the POST fails in
 * any way, the poll is asked again as a GET and judged on that answer alone; if the GET is
 * answered where the POST was not, this endpoint takes no reports (an older Worker's 405, a
 * proxy that refuses bodies), and reports stop for the session. A report not delivered
 * stays with the outbox (bounded) for a later poll.
 */
export function httpConfigProvider(
  url: string,
  options: HttpConfigProviderOptions & { readonly reports?: UsageReportOutbox },
): ConfigProvider {
  const checked = checkUrl(url, options.urlPolicy);
  if (!checked.ok) throw new Error(`createHttpConfigProvider: the config URL ${checked.error}`);
  const target = checked.value;
  let reports = options.reports;
  /** A report rides only on a poll after an answered one, so an outage never doubles requests. */
  let lastAnswered = false;
  let postTimedOut = false;
  let postTimeouts = 0;

  const stopReports = () => {
    reports?.refused();
    reports = undefined;
  };

  const poll = async (context: ConfigLoadContext, headers: Record<string, string>) => {
    let response: Response;
    try {
      response = await context.fetch(target, { signal: context.signal, headers });
    } catch (cause) {
      return unreachable(target, cause);
    }
    return readConfigAnswer(response, target);
  };

  const carry = async (
    context: ConfigLoadContext,
    headers: Record<string, string>,
    report: OutgoingUsageReport,
  ): Promise<ConfigLoadOutcome> => {
    let posted: Response | undefined;
    try {
      posted = await context.fetch(target, {
        method: 'POST',
        signal: context.signal,
        headers: { ...headers, 'content-type': REPORT_CONTENT_TYPE },
        body: report.body,
      });
    } catch (cause) {
      // Out of time: no GET could be answered either. The next poll is a GET; see MAX_POST_TIMEOUTS.
      if (context.signal.aborted) {
        postTimedOut = true;
        return unreachable(target, cause);
      }
    }
    if (posted !== undefined && (posted.ok || posted.status === 304)) {
      report.delivered();
      return readConfigAnswer(posted, target);
    }
    await posted?.body?.cancel().catch(() => undefined);
    const outcome = await poll(context, headers);
    if (outcome.kind !== 'failed') stopReports();
    return outcome;
  };

  return {
    name: options.name ?? `http:${new URL(target).host}`,
    async load(context) {
      const headers: Record<string, string> = { accept: 'application/json', ...ifNoneMatch(context.etag) };
      const outbox = context.background === true && lastAnswered ? reports : undefined;
      const report = await outbox?.next().catch(() => undefined);
      let outcome: ConfigLoadOutcome;
      if (report === undefined) {
        outcome = await poll(context, headers);
        if (postTimedOut && outcome.kind !== 'failed') {
          postTimedOut = false;
          if (++postTimeouts >= MAX_POST_TIMEOUTS) stopReports();
        }
      } else {
        outcome = await carry(context, headers, report);
      }
      lastAnswered = outcome.kind !== 'failed';
      return outcome;
    },
  };
}
