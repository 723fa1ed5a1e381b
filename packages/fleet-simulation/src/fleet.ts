import { bucketOf } from '@cartae/marketplace-core';
import { cumulativeOf, pickCumulative } from './distributions.ts';
import { createPrng } from './prng.ts';
import type { NetworkOptions } from './simulation-options.ts';

/** Who the installs are and where they sit on the network. Fixed for a seed. */
export interface Fleet {
  readonly size: number;
  /** Canary bucket of each install (the resolver's `bucketOf(installId)`). */
  readonly buckets: Int32Array;
  /** Public address index of each install: GitHub counts its quota per address. */
  readonly addressOf: Int32Array;
  readonly addressCount: number;
  /** Installs behind the busiest shared address. */
  readonly largestAddressInstalls: number;
  /** Installs behind any shared address. */
  readonly sharedAddressInstalls: number;
  /** Cloudflare data centre each install reaches. */
  readonly edgeOf: Int32Array;
  readonly edgeCount: number;
}

/** Zipf weights 1/1, 1/2, … 1/n: a few big sites, a long tail of small ones. */
function zipf(n: number): number[] {
  return Array.from({ length: n }, (_, k) => 1 / (k + 1));
}

/**
 * Builds the fleet: stable install ids and their canary buckets, public addresses (a share of
 * installs behind Zipf-sized shared addresses, the rest alone) and data centres.
 *
 * @example
 * const fleet = buildFleet(10_000, 1, DEFAULT_NETWORK);
 */
export function buildFleet(size: number, seed: number, network: NetworkOptions): Fleet {
  const rng = createPrng(seed, 'fleet');
  const buckets = new Int32Array(size);
  const addressOf = new Int32Array(size);
  const edgeOf = new Int32Array(size);
  const shared = cumulativeOf(zipf(network.sharedIps));
  const edges = cumulativeOf(zipf(network.edgeLocations));
  const sharedSizes = new Int32Array(network.sharedIps);
  let nextOwnAddress = network.sharedIps;
  let sharedAddressInstalls = 0;
  for (let i = 0; i < size; i++) {
    buckets[i] = bucketOf(`sim-${seed}-install-${i}`);
    if (rng.next() < network.sharedIpShare) {
      const address = pickCumulative(rng, shared);
      addressOf[i] = address;
      sharedSizes[address] = (sharedSizes[address] as number) + 1;
      sharedAddressInstalls++;
    } else {
      addressOf[i] = nextOwnAddress++;
    }
    edgeOf[i] = pickCumulative(rng, edges);
  }
  return {
    size,
    buckets,
    addressOf,
    addressCount: nextOwnAddress,
    largestAddressInstalls: Math.max(1, ...sharedSizes),
    sharedAddressInstalls,
    edgeOf,
    edgeCount: network.edgeLocations,
  };
}
