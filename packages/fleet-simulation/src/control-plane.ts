import type { MarketplaceSourceConfig } from '@cartae/marketplace-core';

/**
 * The `app_config` row over the simulated period: version 1 until the admin's switch, version
 * 2 after it. Counting requests is the metrics' job; this only answers "what is current".
 */
export class ControlPlane {
  constructor(
    private readonly before: MarketplaceSourceConfig,
    private readonly after: MarketplaceSourceConfig,
    /** When the admin switches, simulation ms; +Infinity for never. */
    readonly switchAt: number,
  ) {}

  versionAt(now: number): number {
    return now >= this.switchAt ? 2 : 1;
  }

  configOf(version: number): MarketplaceSourceConfig {
    return version >= 2 ? this.after : this.before;
  }
}
