import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { samplePlugin } from './test-plugins.ts';
import { writeFileAtomic, writeRegistry } from './write-registry.ts';

let folder: string;
const now = () => Date.parse('2026-06-01T00:00:00.000Z');

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cartae-registry-'));
  await mkdir(join(folder, 'plugins'));
  await writeFile(join(folder, 'plugins', 'alpha.json'), JSON.stringify(samplePlugin('alpha')));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary file behind', async () => {
    const path = join(folder, 'registry.json');
    await writeFile(path, 'old');
    await writeFileAtomic(path, 'new\n');
    expect(await readFile(path, 'utf8')).toBe('new\n');
    expect(await readdir(folder)).toEqual(['plugins', 'registry.json']);
  });

  it('leaves the old file intact and cleans up when the rename fails', async () => {
    const path = join(folder, 'plugins');
    await expect(writeFileAtomic(path, 'x')).rejects.toThrow();
    expect((await stat(path)).isDirectory()).toBe(true);
    expect((await readdir(folder)).sort()).toEqual(['plugins']);
  });
});

describe('writeRegistry', () => {
  it('writes registry.json with the built bytes, then leaves it untouched while nothing changes', async () => {
    const first = await writeRegistry(folder, { now });
    const path = join(folder, 'registry.json');
    expect(await readFile(path, 'utf8')).toBe(first.text);
    const before = (await stat(path)).mtimeMs;

    const again = await writeRegistry(folder, { now: () => now() + 5000 });
    expect(again.changed).toBe(false);
    expect((await stat(path)).mtimeMs).toBe(before);
  });

  it('writes version 2 after a plugin is added', async () => {
    await writeRegistry(folder, { now });
    await writeFile(join(folder, 'plugins', 'beta.json'), JSON.stringify(samplePlugin('beta')));
    await writeRegistry(folder, { now });
    const written = JSON.parse(await readFile(join(folder, 'registry.json'), 'utf8'));
    expect(written.version).toBe(2);
    expect(written.plugins.map((p: { id: string }) => p.id)).toEqual(['alpha', 'beta']);
  });
});
