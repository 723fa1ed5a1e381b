import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileStorage } from './file-storage.ts';
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

  it('file storage never throws: an unwritable location behaves like an empty store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cartae-storage-'));
    dirs.push(dir);
    await writeFile(join(dir, 'file'), 'x');
    const s = createFileStorage(join(dir, 'file', 'below-a-file'));
    await expect(s.set('k', 'v')).resolves.toBeUndefined();
    expect(await s.get('k')).toBeUndefined();
  });

  it('file storage keeps hostile keys inside its folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cartae-storage-'));
    dirs.push(dir);
    await createFileStorage(dir).set('../../escape', 'x');
    expect(await readdir(dir)).toEqual(['.._.._escape.json']);
  });

  it('localStorage adapter prefixes keys and swallows quota errors', async () => {
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
    await expect(s.set('registry', 'big')).resolves.toBeUndefined();
    expect(await s.get('config')).toBe('c');
  });
});
