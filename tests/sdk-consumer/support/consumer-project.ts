import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = new URL('../../..', import.meta.url).pathname.replace(/\/$/, '');
const fixtures = new URL('../fixtures/', import.meta.url).pathname;

/** The SDK packages, in the order they depend on each other. */
export const SDK_PACKAGES = ['@cartae/marketplace-core', '@cartae/marketplace-resolver'] as const;

export interface ConsumerProject {
  /** The temporary folder: `packs/` holds the tarballs, `app/` the installed project. */
  readonly dir: string;
  readonly app: string;
  /** Tarball file names by package name. */
  readonly tarballs: Record<(typeof SDK_PACKAGES)[number], string>;
}

/**
 * Packs the SDK (its `prepack` builds it) and installs the tarballs, with nothing else, into a
 * fresh project in the system's temporary folder. Dependencies come from npm's cache when it
 * has them (`--prefer-offline`), as an app developer's install would.
 */
export function createConsumerProject(): ConsumerProject {
  const dir = mkdtempSync(join(tmpdir(), 'cartae-sdk-consumer-'));
  const packs = join(dir, 'packs');
  const app = join(dir, 'app');
  mkdirSync(packs);
  mkdirSync(join(app, 'src'), { recursive: true });
  const workspaces = SDK_PACKAGES.flatMap((name) => ['-w', name]);
  execFileSync('npm', ['pack', ...workspaces, '--pack-destination', packs, '--silent'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const files = readdirSync(packs);
  const tarballOf = (name: string) => {
    const file = files.find((f) => f.startsWith(`${name.slice(1).replace('/', '-')}-`));
    if (file === undefined) throw new Error(`npm pack wrote no tarball for ${name} in ${packs}`);
    return file;
  };
  const tarballs = {
    '@cartae/marketplace-core': tarballOf('@cartae/marketplace-core'),
    '@cartae/marketplace-resolver': tarballOf('@cartae/marketplace-resolver'),
  };
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify({ name: 'cartae-sdk-consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  execFileSync(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--silent',
      ...Object.values(tarballs).map((file) => join(packs, file)),
    ],
    { cwd: app, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  for (const file of ['fake-network.mjs', 'marketplace-answers.mjs', 'app.mts', 'app.cts']) {
    copyFileSync(join(fixtures, file), join(app, file.startsWith('app.') ? `src/${file}` : file));
  }
  return { dir, app, tarballs };
}
