import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { SDK_PACKAGES } from './support/consumer-project.ts';
import { attwFindings, publintFindings } from './support/package-linters.ts';

// The published package's metadata, checked on the very tarballs the other tests install.
const project = inject('consumerProject');
const tarballOf = (name: (typeof SDK_PACKAGES)[number]) => join(project.dir, 'packs', project.tarballs[name]);

describe.each(SDK_PACKAGES)('%s as packed', (name) => {
  it('has nothing publint reports (strict, suggestions included)', async () => {
    expect(await publintFindings(tarballOf(name))).toEqual([]);
  });

  it('has types right for node10, node16 (from CJS and ESM) and bundlers (attw)', () => {
    expect(attwFindings(tarballOf(name))).toEqual([]);
  });
});
