import type { MarketplaceSourceConfig, SourceKind } from '@cartae/marketplace-core';
import { OUTCOME } from './metrics-recorder.ts';
import { CDN_OK } from './simulated-response.ts';
import { MODEL_EVENT_BASE, type SimulationWorld, type StrategyModel } from './strategy-model.ts';

const CONFIG_POLL = MODEL_EVENT_BASE;
const CONFIG_ANSWER = MODEL_EVENT_BASE + 1;
/** Session epochs are packed with a version (< 8) into one event argument. */
const VERSION_SLOTS = 8;

/**
 * The user's design: `MarketplaceSourceResolver` as its document describes it. The config is
 * read from Supabase when the app starts and again every TTL (no jitter), kept in memory only.
 * Requests go to `priority[0]`; with `fallbackOnError`, the next sources of `priority` are tried on
 * an error (only hybrid has one). Hybrid canary is per request (« 10 % des requests iront sur
 * CDN »). No health, no rate-limit handling, no cached registry: a failed request is an error.
 */
export class UserDesignModel implements StrategyModel {
  readonly controlPlaneCeilingPerHour = null;
  private readonly version: Int32Array;
  private readonly requested: Int32Array;
  private readonly session: Int32Array;

  constructor(
    private readonly world: SimulationWorld,
    readonly configTtlSeconds: number,
  ) {
    const n = world.fleet.size;
    this.version = new Int32Array(n);
    this.requested = new Int32Array(n);
    this.session = new Int32Array(n);
  }

  versionOf(install: number): number {
    return this.version[install] as number;
  }

  sessionStart(install: number, now: number): void {
    this.session[install] = (this.session[install] as number) + 1;
    this.version[install] = 0;
    this.readConfig(install, now);
    this.world.queue.push(now + this.configTtlSeconds * 1000, CONFIG_POLL, install, this.session[install]);
  }

  sessionEnd(install: number): void {
    this.session[install] = (this.session[install] as number) + 1;
  }

  timer(kind: number, install: number, arg: number, now: number): void {
    if (kind === CONFIG_POLL) {
      if (arg !== this.session[install]) return;
      this.readConfig(install, now);
      this.world.queue.push(now + this.configTtlSeconds * 1000, CONFIG_POLL, install, arg);
    } else if (kind === CONFIG_ANSWER) {
      const version = arg % VERSION_SLOTS;
      if ((arg - version) / VERSION_SLOTS !== this.session[install]) return;
      this.version[install] = version;
      this.world.metrics.adopted(install, version, now);
    }
  }

  userRequest(install: number, _kind: number, now: number): void {
    const { world } = this;
    // Before the first answer arrives, resolveUrl() awaits it: the request uses that answer.
    const held = (this.version[install] as number) || (this.requested[install] as number);
    const config = world.controlPlane.configOf(held);
    const order = this.order(config);
    for (let i = 0; i < order.length; i++) {
      const source = order[i] as SourceKind;
      const response =
        source === 'git' ? world.git.respond(world.fleet.addressOf[install] as number, now) : CDN_OK;
      const ok = response.status >= 200 && response.status < 400;
      world.metrics.sourceRequest(source, now, response.status === 429 || response.status === 403, false);
      if (ok) {
        world.metrics.userRequest(now, source === 'git' ? OUTCOME.git : OUTCOME.cloudflare, i > 0);
        return;
      }
    }
    world.metrics.userRequest(now, OUTCOME.failed, false);
  }

  private order(config: MarketplaceSourceConfig): readonly SourceKind[] {
    let priority = config.priority;
    if (
      config.type === 'hybrid' &&
      priority.length > 1 &&
      this.world.rng.next() >= config.canaryPercent / 100
    ) {
      priority = [...priority].reverse();
    }
    return config.fallbackOnError ? priority : priority.slice(0, 1);
  }

  private readConfig(install: number, now: number): void {
    const { world } = this;
    world.metrics.controlPlaneRequest(now);
    const version = world.controlPlane.versionAt(now);
    this.requested[install] = version;
    const arg = (this.session[install] as number) * VERSION_SLOTS + version;
    world.queue.push(now + world.network.supabaseLatencyMs, CONFIG_ANSWER, install, arg);
  }
}
