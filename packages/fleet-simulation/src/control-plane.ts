import type { MarketplaceSourceConfig } from '@cartae/marketplace-core';

/**
 * The `app_config` row over the simulated period: version 1 at first; the admin's switch writes
 * the next version at `switchAt`; the fleet automation (`evaluate_fleet_automation`) may write
 * one in between (`write`). Counting requests is the metrics' job; this only answers "what is
 * current". Versions are written in time order: every caller asks at a time no earlier than the
 * previous one (the event queue's order).
 */
export class ControlPlane {
  private readonly configs: MarketplaceSourceConfig[];
  private readonly writtenAt: number[];
  private adminVersion: number | undefined;

  constructor(
    before: MarketplaceSourceConfig,
    private readonly after: MarketplaceSourceConfig,
    /** When the admin switches, simulation ms; +Infinity for never. */
    readonly switchAt: number,
  ) {
    this.configs = [before];
    this.writtenAt = [Number.NEGATIVE_INFINITY];
  }

  /** The admin's switch is written when its time has come (lazily, so it follows any earlier write). */
  private applyDue(now: number): void {
    if (this.adminVersion === undefined && now >= this.switchAt) {
      this.configs.push(this.after);
      this.writtenAt.push(this.switchAt);
      this.adminVersion = this.configs.length;
    }
  }

  /** The version current at `now`. */
  versionAt(now: number): number {
    this.applyDue(now);
    let version = this.configs.length;
    while (version > 1 && (this.writtenAt[version - 1] as number) > now) version--;
    return version;
  }

  configOf(version: number): MarketplaceSourceConfig {
    const index = Math.min(Math.max(1, version), this.configs.length) - 1;
    return this.configs[index] as MarketplaceSourceConfig;
  }

  /** The version the admin's switch wrote, once it has (the one switch propagation is measured for). */
  get switchVersion(): number | undefined {
    return this.adminVersion;
  }

  /** Writes a new version at `now` (the automatic switch); returns its number. */
  write(now: number, config: MarketplaceSourceConfig): number {
    this.applyDue(now);
    this.configs.push(config);
    this.writtenAt.push(now);
    return this.configs.length;
  }
}
