import { USAGE_REPORT_LIMITS } from '@cartae/marketplace-core';
import type { Handler } from 'hono';
import { type AppEnv, afterResponse } from '../app-env.ts';
import { readBoundedText } from '../http/bounded-body.ts';
import { clientAddress } from '../http/client-address.ts';
import { takeUsageReport, type UsageIntake } from '../usage/usage-intake.ts';
import { serveConfig } from './config-route.ts';

/**
 * POST /api/config: a config poll that carries the app's usage report as its body (text/plain, so
 * browsers send it without a preflight; JSON per `UsageReport`, at most 4 KiB). The answer is
 * exactly GET's — same edge cache, ETag and 304, CORS — whatever the report: the report is read
 * while the config is looked up, and checked and handed to its shard after the answer is sent.
 * An empty body is a plain config poll.
 *
 * @example
 * app.post('/api/config', serveConfigPoll({ limiter: new AddressRateLimiter(), tally: new IntakeTally() }));
 */
export function serveConfigPoll(intake: UsageIntake): Handler<AppEnv> {
  return async function answerConfigPoll(c) {
    const [response, body] = await Promise.all([
      serveConfig(c),
      readBoundedText(c.req.raw, USAGE_REPORT_LIMITS.maxBytes),
    ]);
    if (body.kind !== 'empty') {
      const { settings, platform } = c.var;
      const address = clientAddress(c.req.raw);
      await afterResponse(c, takeUsageReport(intake, { body, address, env: c.env, settings, platform }));
    }
    return response;
  };
}
