import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRegistryFromFolder } from './build-registry.ts';
import { RegistryBuildError } from './registry-build-error.ts';
import { samplePlugin } from './test-plugins.ts';

let folder: string;
const now = () => Date.parse('2026-06-01T00:00:00.000Z');

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cartae-registry-'));
  await mkdir(join(folder, 'plugins'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const writePlugin = (name: string, value: unknown) =>
  writeFile(
    join(folder, 'plugins', name),
    typeof value === 'string' ? value : JSON.stringify(value, null, 2),
  );

async function failure(options = {}): Promise<RegistryBuildError> {
  const error = await buildRegistryFromFolder(folder, { now, ...options }).catch((e: unknown) => e);
  if (error instanceof RegistryBuildError) return error;
  throw new Error(`expected a RegistryBuildError, got ${String(error)}`);
}

describe('buildRegistryFromFolder', () => {
  it('reads every plugins/*.json, ignores other files, and sorts by id', async () => {
    await writePlugin('zen.json', samplePlugin('zen'));
    await writePlugin('alpha.json', samplePlugin('alpha'));
    await writePlugin('README.md', '# not a plugin');
    await mkdir(join(folder, 'plugins', 'drafts.json'));
    const built = await buildRegistryFromFolder(folder, { now });
    expect(built.document.plugins.map((p) => p.id)).toEqual(['alpha', 'zen']);
    expect(built).toMatchObject({ path: join(folder, 'registry.json'), pluginCount: 2, changed: true });
    expect(built.document.version).toBe(1);
  });

  it('reports every invalid file and field at once', async () => {
    await writePlugin('good.json', samplePlugin('good'));
    await writePlugin('bad-hash.json', samplePlugin('bad-hash', { sha256: 'nope' }));
    await writePlugin('broken.json', '{ "id": "broken", ');
    const error = await failure();
    expect(error.code).toBe('plugin_invalid');
    expect(error.message).toMatch(/^2 plugin files in .* do not match the registry schema:/);
    expect(error.message).toContain('plugins/bad-hash.json: sha256: sha256 must be 64 lowercase hex digits');
    expect(error.message).toContain('plugins/broken.json: is not valid JSON');
  });

  it('says clearly when the plugins folder is missing', async () => {
    await rm(join(folder, 'plugins'), { recursive: true });
    const error = await failure();
    expect(error.code).toBe('folder_unreadable');
    expect(error.message).toMatch(/cannot read the plugin folder .*plugins/);
  });

  it('continues from the previous registry.json: same bytes when unchanged, version + 1 when changed', async () => {
    await writePlugin('alpha.json', samplePlugin('alpha'));
    const first = await buildRegistryFromFolder(folder, { now });
    await writeFile(first.path, first.text);

    const same = await buildRegistryFromFolder(folder, { now: () => now() + 60_000 });
    expect(same).toMatchObject({ changed: false, text: first.text });

    await writePlugin('alpha.json', samplePlugin('alpha', { version: '1.0.1' }));
    const next = await buildRegistryFromFolder(folder, { now });
    expect(next).toMatchObject({ changed: true, previousVersion: 1 });
    expect(next.document.version).toBe(2);
  });

  it('refuses to guess the next version from an unreadable registry.json unless a version is given', async () => {
    await writePlugin('alpha.json', samplePlugin('alpha'));
    await writeFile(join(folder, 'registry.json'), '<html>oops</html>');
    const error = await failure();
    expect(error.code).toBe('previous_invalid');
    expect(error.message).toMatch(/fix or delete it, or pass a version explicitly/);

    const built = await buildRegistryFromFolder(folder, { now, version: 9 });
    expect(built.document.version).toBe(9);
  });
});
