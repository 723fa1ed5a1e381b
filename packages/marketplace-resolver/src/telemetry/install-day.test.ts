import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installDay, utcDay } from './install-day.ts';

const ID = '5f0c3b8e-2a71-4c5e-9d0b-7e1f6a2c4d93';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('installDay', () => {
  it('is the first 16 hex digits of SHA-256(installId + ":" + UTC day)', async () => {
    const at = Date.UTC(2026, 10, 30, 23, 59);
    expect(await installDay(ID, at)).toBe(sha256(`${ID}:2026-11-30`).slice(0, 16));
    expect(await installDay(ID, at)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is the same all UTC day, and another the next day: installs are counted per day, never followed', async () => {
    const morning = await installDay(ID, Date.UTC(2026, 10, 30, 0, 0));
    const evening = await installDay(ID, Date.UTC(2026, 10, 30, 23, 59, 59));
    const tomorrow = await installDay(ID, Date.UTC(2026, 11, 1, 0, 0));
    expect(evening).toBe(morning);
    expect(tomorrow).not.toBe(morning);
    expect(await installDay('another-install', Date.UTC(2026, 10, 30))).not.toBe(morning);
  });

  it('says nothing where WebCrypto is missing (an insecure browser context)', async () => {
    vi.stubGlobal('crypto', undefined);
    expect(await installDay(ID, 0)).toBeUndefined();
  });

  it('utcDay is the UTC date whatever the local zone', () => {
    expect(utcDay(Date.UTC(2026, 0, 2, 23, 30))).toBe('2026-01-02');
  });
});
