import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUCKET_COUNT, bucketOf, fnv1a32, inCanary } from './bucketing.ts';

describe('fnv1a32', () => {
  // Published FNV-1a 32-bit test vectors, so other implementations can check theirs.
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('hash of %j', (text, expected) => {
    expect(fnv1a32(text)).toBe(expected);
  });

  it('hashes UTF-8 bytes, not UTF-16 code units', () => {
    expect(fnv1a32('é')).not.toBe(fnv1a32('\u00e9\u0000'));
    expect(fnv1a32('é')).toBe(fnv1a32('e\u0301'.normalize('NFC')));
  });
});

describe('bucketOf', () => {
  it('is stable and within range', () => {
    fc.assert(
      fc.property(fc.string(), (id) => {
        const b = bucketOf(id);
        return b === bucketOf(id) && b >= 0 && b < BUCKET_COUNT && Number.isInteger(b);
      }),
    );
  });

  it('depends on the salt', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `install-${i}`);
    const differing = ids.filter((id) => bucketOf(id, 'a') !== bucketOf(id, 'b'));
    expect(differing.length).toBeGreaterThan(40);
  });

  it('spreads installs evenly enough for a 10% canary', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `3f7c-${i}-install`);
    const share = ids.filter((id) => inCanary(bucketOf(id), 10)).length / ids.length;
    expect(share).toBeGreaterThan(0.09);
    expect(share).toBeLessThan(0.11);
  });
});

describe('inCanary', () => {
  it('raising the percentage only adds installs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (bucket, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          return !inCanary(bucket, low) || inCanary(bucket, high);
        },
      ),
    );
  });

  it.each([
    [0, 0, false],
    [0, 0.01, true],
    [9999, 100, true],
    [9999, 99.99, false],
    [999, 10, true],
    [1000, 10, false],
  ])('bucket %i at %d%% → %s', (bucket, percent, expected) => {
    expect(inCanary(bucket, percent)).toBe(expected);
  });
});
