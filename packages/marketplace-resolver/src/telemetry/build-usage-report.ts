import type { UsageReport } from '@cartae/marketplace-core';
import type { MinuteUsage } from './minute-usage.ts';
import { SDK_VERSION } from './sdk-version.ts';

/**
 * The wire report for one closed minute (`UsageReport`, schema version 1): counters per source,
 * the config version in use, the SDK's version and the day's install hash. Nothing else: no
 * address, no install id, no URL.
 *
 * @example
 * JSON.stringify(buildUsageReport(closedMinute, await installDay(installId, closedMinute.minute)));
 */
export function buildUsageReport(usage: MinuteUsage, installDay: string): UsageReport {
  return {
    schemaVersion: 1,
    sdkVersion: SDK_VERSION,
    configVersion: usage.configVersion,
    installDay,
    minute: usage.minute,
    staleServes: usage.staleServes,
    sources: usage.sources(),
  };
}
