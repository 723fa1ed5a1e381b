import { describe, expect, it } from 'vitest';
import { edgeHealthUrl, readEdgeHealth } from './edge-health.ts';

describe('readEdgeHealth', () => {
  it('reads what the Worker says', () => {
    expect(
      readEdgeHealth({
        status: 'degraded',
        registry: {
          version: 42,
          storedAt: '2026-11-30T10:05:00.000Z',
          signedBy: 'cartae-local-dev',
          bytes: 9,
        },
        lastSync: {
          at: '2026-11-30T10:10:00.000Z',
          result: 'failed',
          message: 'Git answered HTTP 500',
          lastSuccessAt: '2026-11-30T10:05:00.000Z',
          consecutiveFailures: 1,
          retryAt: null,
        },
        config: { version: 7 },
        problems: ['REGISTRY_GIT_URL is not set'],
      }),
    ).toEqual({
      status: 'degraded',
      registry: { version: 42, storedAt: '2026-11-30T10:05:00.000Z', signedBy: 'cartae-local-dev' },
      mirror: {
        at: '2026-11-30T10:10:00.000Z',
        result: 'failed',
        message: 'Git answered HTTP 500',
        lastSuccessAt: '2026-11-30T10:05:00.000Z',
        consecutiveFailures: 1,
        retryAt: null,
      },
      configVersion: 7,
      problems: ['REGISTRY_GIT_URL is not set'],
    });
  });

  it.each([null, '<html>', [], { status: 'weird', registry: { version: '42' }, lastSync: { result: 3 } }])(
    'reads %j as unknown, without throwing',
    (body) => {
      expect(readEdgeHealth(body)).toMatchObject({ registry: null, mirror: null, configVersion: null });
    },
  );

  it('builds the health URL from the CDN base URL', () => {
    expect(edgeHealthUrl('https://marketplace.cartae.com/')).toBe('https://marketplace.cartae.com/health');
  });
});
