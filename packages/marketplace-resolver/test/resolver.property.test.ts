import { openRegistry, type SourceKind } from '@cartae/marketplace-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { registryText } from '../../../tests/fixtures/registry-builder.ts';
import { createMarketplaceSourceResolver } from '../src/index.ts';
import { silentLogger } from '../src/platform/platform.ts';
import { createMemoryStorage } from '../src/storage/memory-storage.ts';

/**
 * Property-based tests of the resolver's decisions. The two sources are simulated in-process
 * (a fake fetch and a fake clock) so thousands of random histories run in seconds; the real
 * HTTP behaviour is covered by the loopback tests beside this file.
 */
type Behaviour =
  | 'ok'
  | 'rate-limited'
  | 'server-error'
  | 'network-error'
  | 'html'
  | 'truncated'
  | 'schema-invalid'
  | 'expired'
  | 'not-found';
const behaviours: Behaviour[] = [
  'ok',
  'rate-limited',
  'server-error',
  'network-error',
  'html',
  'truncated',
  'schema-invalid',
  'expired',
  'not-found',
];

const GIT = 'https://git.example/registry/registry.json';
const CDN = 'https://cdn.example';
const NOW0 = Date.parse('2026-11-24T00:00:00Z');

type Step =
  | {
      kind: 'request';
      git: Behaviour;
      cdn: Behaviour;
      advanceMs: number;
      op: 'registry' | 'resolve' | 'fetch';
    }
  | {
      kind: 'config';
      type: 'git' | 'cloudflare' | 'hybrid';
      canary: number;
      extra: boolean;
      advanceMs: number;
    };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('request' as const),
      git: fc.constantFrom(...behaviours),
      cdn: fc.constantFrom(...behaviours),
      advanceMs: fc.integer({ min: 0, max: 120_000 }),
      op: fc.constantFrom('registry' as const, 'resolve' as const, 'fetch' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('config' as const),
      type: fc.constantFrom('git' as const, 'cloudflare' as const, 'hybrid' as const),
      canary: fc.integer({ min: 0, max: 100 }),
      extra: fc.boolean(),
      advanceMs: fc.integer({ min: 0, max: 60_000 }),
    }),
  },
);

function answer(behaviour: Behaviour, version: number, now: number): Response {
  switch (behaviour) {
    case 'ok':
      return new Response(registryText({ version }), { status: 200 });
    case 'rate-limited':
      return new Response('limit', {
        status: 429,
        headers: { 'retry-after': '60', 'x-ratelimit-remaining': '0' },
      });
    case 'server-error':
      return new Response('oops', { status: 503 });
    case 'network-error':
      throw new TypeError('fetch failed');
    case 'html':
      return new Response('<html>captive portal</html>', { status: 200 });
    case 'truncated':
      return new Response(registryText({ version }).slice(0, 50), { status: 200 });
    case 'schema-invalid':
      return new Response('{"version":-1,"plugins":"none"}', { status: 200 });
    case 'expired':
      return new Response(registryText({ version, expires: new Date(now - 86_400_000).toISOString() }), {
        status: 200,
      });
    case 'not-found':
      return new Response('404', { status: 404 });
  }
}

const servesValid = (b: Behaviour) => b === 'ok';

describe('resolver properties', () => {
  it('never throws, returns a valid registry whenever a source serves one, and leaves ejected sources alone outside panic', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { minLength: 1, maxLength: 25 }),
        fc.string(),
        async (steps, installId) => {
          let now = NOW0;
          let current: Record<string, Behaviour> = { git: 'ok', cdn: 'ok' };
          let configDoc: Record<string, unknown> = { type: 'git', gitUrl: GIT, cloudflareUrl: CDN };
          let configVersion = 1;
          let registryVersion = 1;
          const calls: { source: SourceKind; at: number; failed: boolean }[] = [];
          const fetch = async (input: RequestInfo | URL): Promise<Response> => {
            const url = String(input);
            if (url === 'https://control.example/api/config') {
              return Response.json({ config: configDoc, version: configVersion });
            }
            const source: SourceKind = url.startsWith(CDN) ? 'cloudflare' : 'git';
            const behaviour = source === 'git' ? current.git : current.cdn;
            // Every call here is for the registry: anything but a valid registry is a failure.
            calls.push({ source, at: now, failed: behaviour !== 'ok' });
            return answer(behaviour as Behaviour, registryVersion, now);
          };
          const clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
          const resolver = createMarketplaceSourceResolver({
            configUrl: 'https://control.example/api/config',
            installId,
            platform: {
              fetch: fetch as typeof globalThis.fetch,
              clock,
              storage: createMemoryStorage(),
              logger: silentLogger,
            },
          });
          try {
            for (const step of steps) {
              now += step.advanceMs;
              if (step.kind === 'config') {
                configDoc = {
                  type: step.type,
                  priority: step.type === 'hybrid' ? ['cloudflare', 'git'] : [step.type],
                  canaryPercent: step.canary,
                  gitUrl: GIT,
                  cloudflareUrl: CDN,
                  ...(step.extra
                    ? {
                        futureField: { a: 1 },
                        priority: step.type === 'hybrid' ? ['ipfs', 'cloudflare', 'git'] : [step.type],
                      }
                    : {}),
                };
                configVersion++;
                await resolver.reloadConfig();
                continue;
              }
              registryVersion++;
              current = { git: step.git, cdn: step.cdn };
              const before = resolver.getHealth().sources;
              const ejectedUntil = new Map(
                before
                  .filter((x) => x.state.status === 'ejected')
                  .map((x) => [x.source, x.state.status === 'ejected' ? x.state.until : 0]),
              );
              const firstCall = calls.length;
              if (step.op === 'resolve') {
                const url = await resolver.resolveUrl('api/plugins');
                expect([GIT, `${CDN}/api/plugins`]).toContain(url);
              } else if (step.op === 'fetch') {
                await resolver.fetch('api/plugins').catch((error: { code?: string }) => {
                  expect(error.code).toBe('no_source_available');
                });
              } else {
                const result = await resolver.getRegistry();
                if (result.ok) {
                  // Whatever it returns is valid now, fresh or stale.
                  const reopened = await openRegistry(JSON.stringify(result.registry), { now });
                  expect(reopened.ok).toBe(true);
                }
                if (servesValid(step.git) || servesValid(step.cdn)) {
                  expect(result.ok && !result.stale).toBe(true);
                }
              }
              // Ejected sources are contacted before their retry time only in panic: when every
              // other source was ejected too, or had already failed in this same operation.
              const opCalls = calls.slice(firstCall);
              opCalls.forEach((call, i) => {
                const until = ejectedUntil.get(call.source);
                if (until === undefined || call.at >= until) return;
                const others = (['git', 'cloudflare'] as const).filter((k) => k !== call.source);
                for (const other of others) {
                  const otherEjected = (ejectedUntil.get(other) ?? 0) > call.at;
                  const otherFailedBefore = opCalls.slice(0, i).some((c) => c.source === other && c.failed);
                  expect(otherEjected || otherFailedBefore).toBe(true);
                }
              });
            }
          } finally {
            resolver.dispose();
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
