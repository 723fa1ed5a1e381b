import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkRegistryDocument } from '@cartae/marketplace-core';
import { describe, expect, it } from 'vitest';
import { buildRegistryFromFolder } from './build-registry.ts';

const REGISTRY_FOLDER = join(import.meta.dirname, '../../../../registry');

describe('the committed registry/', () => {
  it('registry.json is exactly what the generator builds from registry/plugins', async () => {
    const committed = await readFile(join(REGISTRY_FOLDER, 'registry.json'), 'utf8');
    const built = await buildRegistryFromFolder(REGISTRY_FOLDER);
    // If this fails: run `cartae-marketplace registry build` and commit registry/registry.json.
    expect(built.changed, 'registry/registry.json is out of date with registry/plugins').toBe(false);
    expect(built.text).toBe(committed);
  });

  it('is a registry a resolver accepts today, with a few dozen plugins', async () => {
    const document = JSON.parse(await readFile(join(REGISTRY_FOLDER, 'registry.json'), 'utf8'));
    const checked = checkRegistryDocument(document, { now: Date.now() });
    expect(checked.ok).toBe(true);
    expect(document.plugins.length).toBeGreaterThanOrEqual(30);
  });
});
