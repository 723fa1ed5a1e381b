import {
  createMarketplaceSourceResolver,
  createMemoryStorage,
  type MarketplaceSourceResolver,
  type RegistryResult,
  silentLogger,
} from '@cartae/marketplace-resolver';

/** One simulated install: its own resolver, install id, memory storage and client address. */
export interface FleetInstall {
  readonly installId: string;
  readonly resolver: MarketplaceSourceResolver;
  /** The latest `getRegistry()` answer, once there is one. */
  last: RegistryResult | undefined;
}

export interface ResolverFleet {
  readonly installs: readonly FleetInstall[];
  /** How many installs' latest registry read came from each source, fresh (`stale` reads counted apart). */
  servedBy(): { git: number; cloudflare: number; stale: number; failed: number; none: number };
  /** How many installs hold each config version. */
  configVersions(): Promise<Map<number | undefined, number>>;
  stop(): Promise<void>;
}

export interface FleetOptions {
  readonly size: number;
  /** The Worker's `/api/config`. */
  readonly configUrl: string;
  /** Mean pause between an install's registry reads (each pause is drawn from 0.5–1.5× this). */
  readonly readEveryMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A fleet of real `MarketplaceSourceResolver`s in this process, each with its own install id and
 * memory storage, reading its config (and reporting usage, telemetry on) through the Worker's
 * `/api/config`, and reading the marketplace (`getRegistry()`) again and again at a modest pace.
 *
 * Every install gets its own client address: behind Cloudflare each request carries the address
 * it came from in `CF-Connecting-IP`, and the Worker takes at most five reports a minute from one
 * address. On loopback every install would share 127.0.0.1 (wrangler sets the header from the
 * socket only when it is absent), so each install sends an address of the benchmarking range
 * 198.18.0.0/15, as a fleet of real machines would appear.
 */
export async function startResolverFleet(options: FleetOptions): Promise<ResolverFleet> {
  const configOrigin = new URL(options.configUrl).origin;
  let running = true;
  const installs: FleetInstall[] = [];
  const loops: Promise<void>[] = [];

  for (let index = 0; index < options.size; index++) {
    const address = `198.18.${Math.floor(index / 250)}.${(index % 250) + 1}`;
    const fetchFrom: typeof fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!url.startsWith(configOrigin)) return fetch(input, init);
      const headers = new Headers(init?.headers);
      headers.set('cf-connecting-ip', address);
      return fetch(input, { ...init, headers });
    };
    const installId = `e2e-fleet-install-${index.toString().padStart(4, '0')}`;
    const install: FleetInstall = {
      installId,
      resolver: createMarketplaceSourceResolver({
        configUrl: options.configUrl,
        telemetry: true,
        installId,
        urlPolicy: { allowLoopbackHttp: true },
        platform: { storage: createMemoryStorage(), fetch: fetchFrom, logger: silentLogger },
      }),
      last: undefined,
    };
    installs.push(install);
  }

  // Installs start over the first few seconds, as apps open at different times.
  for (const [index, install] of installs.entries()) {
    loops.push(
      (async () => {
        await sleep((index / installs.length) * 3000);
        while (running) {
          install.last = await install.resolver.getRegistry();
          await sleep(options.readEveryMs * (0.5 + Math.random()));
        }
      })(),
    );
  }

  return {
    installs,
    servedBy() {
      const counts = { git: 0, cloudflare: 0, stale: 0, failed: 0, none: 0 };
      for (const { last } of installs) {
        if (last === undefined) counts.none++;
        else if (!last.ok) counts.failed++;
        else if (last.stale) counts.stale++;
        else if (last.source === 'git' || last.source === 'cloudflare') counts[last.source]++;
      }
      return counts;
    },
    async configVersions() {
      const versions = new Map<number | undefined, number>();
      for (const { resolver } of installs) {
        const { version } = await resolver.getConfig();
        versions.set(version, (versions.get(version) ?? 0) + 1);
      }
      return versions;
    },
    async stop() {
      running = false;
      for (const { resolver } of installs) resolver.dispose();
      await Promise.race([Promise.all(loops), sleep(15_000)]);
    },
  };
}
