import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Bundles the Worker as `wrangler deploy` uploads it (`--dry-run --outdir`), into `outDir`
 * (`index.js` and its modules), for Miniflare to run: workerd and local KV, no dev proxy. The
 * workspace packages come from their sources (scripts/source-conditions.ts), whatever the
 * wrangler config says. Throws with wrangler's output when it fails.
 *
 * @example
 * bundleDeployedWorker(repoRoot, join(dir, 'bundle')); // then scriptPath: join(dir, 'bundle/index.js')
 */
export function bundleDeployedWorker(
  repoRoot: string,
  outDir: string,
  config = 'infrastructure/cloudflare-worker/wrangler.jsonc',
): void {
  const bundled = spawnSync(
    join(repoRoot, 'node_modules/.bin/wrangler'),
    ['deploy', '--dry-run', '--outdir', outDir, '--config', config],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: 'false',
        CI: '1',
        WRANGLER_BUILD_CONDITIONS: '@cartae/source,workerd,worker,browser',
      },
    },
  );
  if (bundled.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${bundled.stderr}`);
}
