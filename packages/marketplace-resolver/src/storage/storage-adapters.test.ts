import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileStorage } from './file-storage.ts';
import { createLazyStorage } from './lazy-storage.ts';
import { createLocalStorage } from './local-storage.ts';
import { createMemoryStorage } from './memory-storage.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('storage adapters', () => {
  it('memory storage round-trips', async () => {
    const s = createMemoryStorage();
    await s.set('a', '1');
    expect(await s.get('a')).toBe('1');
    await s.remove('a');
    expect(await s.get('a')).toBeUndefined();
  });

  it('file storage survives a new instance and leaves no temporary files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cartae-storage-'));
    dirs.push(dir);
    await createFileStorage(join(dir, 'nested')).set('config', '{"v":1}');
    expect(await createFileStorage(join(dir, 'nested')).get('config')).toBe('{"v":1}');
    expect(await readdir(join(dir, 'nested'))).toEqual(['config.json']);
  });

  it('file storage never throws: an unwritable location behaves like an empty store, and set says why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cartae-storage-'));
    dirs.push(dir);
    await writeFile(join(dir, 'file'), 'x');
    const s = createFileStorage(join(dir, 'file', 'below-a-file'));
    await expect(s.set('k', 'v')).resolves.toMatchObject({
      code: 'storage_unavailable',
      message: expect.stringContaining('below-a-file'),
    });
    expect(await s.get('k')).toBeUndefined();
  });

  it('file storage: a read issued after a write sees it, from any instance on the same folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cartae-storage-'));
    dirs.push(dir);
    const big = 'x'.repeat(4_000_000);
    const writes = [
      createFileStorage(dir).set('registry', big),
      createFileStorage(dir).set('registry', 'last'),
    ];
    const read = createFileStorage(dir).get('registry');
    await createFileStorage(dir).remove('gone');
    expect(await read).toBe('last');
    await expect(Promise.all(writes)).resolves.toEqual([undefined, undefined]);
    expect(await readdir(dir)).toEqual(['registry.json']);
  });

  it('file storage keeps hostile keys inside its folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cartae-storage-'));
    dirs.push(dir);
    await createFileStorage(dir).set('../../escape', 'x');
    expect(await readdir(dir)).toEqual(['.._.._escape.json']);
  });

  it('localStorage adapter prefixes keys; a quota error is returned, never thrown', async () => {
    const map = new Map<string, string>();
    let full = false;
    const store = {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => {
        if (full) throw new DOMException('quota', 'QuotaExceededError');
        map.set(k, v);
      },
      removeItem: (k: string) => void map.delete(k),
    };
    const s = createLocalStorage('app.', store);
    await s.set('config', 'c');
    expect([...map.keys()]).toEqual(['app.config']);
    full = true;
    await expect(s.set('registry', 'big')).resolves.toEqual({
      code: 'storage_full',
      message: 'localStorage is full (QuotaExceededError) writing "app.registry"',
    });
    expect(await s.get('config')).toBe('c');
  });

  it('localStorage adapter: disabled storage is returned as unavailable', async () => {
    const store = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      removeItem: () => undefined,
    };
    await expect(createLocalStorage('app.', store).set('k', 'v')).resolves.toMatchObject({
      code: 'storage_unavailable',
    });
  });

  it('lazy storage: calls made while it loads reach it in order; a failed load leaves a working memory store', async () => {
    const inner = createMemoryStorage();
    let finish: (storage: typeof inner) => void = () => {};
    const lazy = createLazyStorage(() => new Promise((resolve) => (finish = resolve)));
    const calls = [lazy.set('k', '1'), lazy.get('k'), lazy.set('k', '2'), lazy.remove('gone')];
    finish(inner);
    expect(await Promise.all(calls)).toEqual([undefined, '1', undefined, undefined]);
    expect(await lazy.get('k')).toBe('2');

    const failed = createLazyStorage(() => Promise.reject(new Error('no node:fs here')));
    await failed.set('k', 'v');
    expect(await failed.get('k')).toBe('v');
  });
});
