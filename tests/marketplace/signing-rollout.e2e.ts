import { readFileSync } from 'node:fs';
import type { RegistryDocument, TrustedRegistryKey } from '@cartae/marketplace-core';
import {
  createMarketplaceSourceResolver,
  createMemoryStorage,
  type MarketplaceSourceResolver,
  type RegistryResult,
  silentLogger,
} from '@cartae/marketplace-resolver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevRegistryKey, devRegistryKey } from '../../packages/cli/src/stack/dev-registry-key.ts';
import { type SigningStack, startSigningStack, syncWorker } from './support/signing-stack.ts';

/**
 * Turning registry signing on for a fleet already installed, on the whole local stack: an
 * unsigned registry, one app without keys (the installed fleet) and one with the development key
 * (the next release), both real resolvers reading through the real Worker and Git host. Signing
 * is turned on as a maintainer does it (the .sig published next to registry.json, the Worker
 * mirroring it, then trusting the key), and a tampered registry on one source is refused by the
 * keyed app, which reads the other, while the keyless app reads on.
 */
const sample = readFileSync(new URL('../../registry/registry.json', import.meta.url), 'utf8');

let stack: SigningStack;
let key: DevRegistryKey;
const apps: MarketplaceSourceResolver[] = [];
let keyless: MarketplaceSourceResolver;
let keyed: MarketplaceSourceResolver;

/** An installed app in Node: the fleet config through the Worker, like the reference app. */
function installedApp(name: string, trustedKeys?: readonly TrustedRegistryKey[]): MarketplaceSourceResolver {
  const app = createMarketplaceSourceResolver({
    configUrl: `${stack.info.workerUrl}/api/config`,
    installId: `signing-rollout-${name}`,
    telemetry: false,
    urlPolicy: { allowLoopbackHttp: true },
    platform: { storage: createMemoryStorage(), logger: silentLogger },
    ...(trustedKeys ? { trustedKeys } : {}),
  });
  apps.push(app);
  return app;
}

/** A keyed app whose only source is the CDN (its built-in config; no control plane). */
function cdnOnlyApp(trustedKeys: readonly TrustedRegistryKey[]): MarketplaceSourceResolver {
  const app = createMarketplaceSourceResolver({
    defaultConfig: {
      type: 'cloudflare',
      priority: ['cloudflare'],
      cloudflareUrl: stack.info.workerUrl,
      fallbackOnError: false,
    },
    trustedKeys,
    telemetry: false,
    urlPolicy: { allowLoopbackHttp: true },
    platform: { storage: createMemoryStorage(), logger: silentLogger },
  });
  apps.push(app);
  return app;
}

function ok(result: RegistryResult): Extract<RegistryResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected a registry, got ${result.error.code}: ${result.error.message}`);
  return result;
}

const firstDescription = (registry: RegistryDocument) => registry.plugins[0]?.description;
const signatureOnCdn = () => fetch(`${stack.info.workerUrl}/api/plugins.sig`);
const registryHealth = async () =>
  (
    (await (await fetch(`${stack.info.workerUrl}/health`)).json()) as {
      registry: { signed: boolean; signedBy: string | null; signature: { kids: string[] } | null };
    }
  ).registry;

/** The sample registry with one byte of the first description changed. */
function tampered(text: string): string {
  const changed = text.replace(
    /("description": ")(.)/,
    (_m, head: string, c: string) => head + (c === 'A' ? 'B' : 'A'),
  );
  expect(changed.length).toBe(text.length);
  expect(changed).not.toBe(text);
  return changed;
}

beforeAll(async () => {
  const began = Date.now();
  // Cron off: the Worker mirrors only when this test asks, so each step is seen on its own.
  stack = await startSigningStack({ signing: false, cronTicker: false });
  console.log(`unsigned stack up in ${Date.now() - began} ms`);
  // The next release's key, made where the stack keeps its development key (not published yet).
  key = await devRegistryKey(stack.dataDir);
  keyless = installedApp('keyless');
  keyed = installedApp('keyed', [key.publicKey]);
}, 120_000);

afterAll(async () => {
  for (const app of apps) app.dispose();
  await stack?.dispose();
});

describe('turning registry signing on for a running fleet', () => {
  it('unsigned: the keyless app reads; the keyed app refuses, saying there is no signature', async () => {
    expect(stack.registryKey).toBeUndefined();
    const before = ok(await keyless.getRegistry());
    expect(before).toMatchObject({ source: 'git', stale: false });
    expect(before.signedBy).toBeUndefined();
    // A keyed app reads only signed registries (SPEC 4.7): why signatures are published before
    // any app that ships the key reaches users.
    const refused = await keyed.getRegistry();
    expect(refused.ok).toBe(false);
    // Neither source serves a signature: each refusal is named, Git's then the CDN's.
    expect(!refused.ok && refused.error.code).toBe('no_source_available');
    expect(!refused.ok && refused.error.message).toMatch(
      /git: registry signature missing.*cloudflare: registry signature missing/,
    );
    expect((await signatureOnCdn()).status).toBe(404);
    expect(await registryHealth()).toMatchObject({ signed: false, signedBy: null });
  });

  it('signing on: the .sig on Git, then on the Worker; both apps read throughout, the keyed one verifies', async () => {
    await stack.signRegistry();
    // During: Git serves the signature, the Worker does not yet.
    const [during, duringKeyless] = await Promise.all([keyed.getRegistry(), keyless.getRegistry()]);
    expect(ok(during)).toMatchObject({ source: 'git', signedBy: key.publicKey.kid });
    expect(ok(duringKeyless).signedBy).toBeUndefined();
    // A keyed app on the CDN alone waits for the mirror: it refuses the Worker's unsigned copy.
    const cdnOnly = cdnOnlyApp([key.publicKey]);
    expect((await cdnOnly.getRegistry()).ok).toBe(false);

    const synced = await syncWorker(stack);
    expect(synced.status).toBe(200);
    expect(synced.body).toMatchObject({ result: 'updated' });
    expect(synced.body.message).toMatch(
      /^stored the signature file of registry version \d+ \(with its signature file\)$/,
    );
    const signature = await signatureOnCdn();
    expect(signature.status).toBe(200);
    expect(signature.headers.get('etag')).toMatch(/^"s\d+-[0-9a-f]{32}"$/);
    expect(await signature.text()).toBe(await (await fetch(`${stack.info.gitUrl}.sig`)).text());
    expect(await registryHealth()).toMatchObject({
      signed: true,
      signedBy: null, // the Worker stores what Git has; it trusts no key yet
      signature: { kids: [key.publicKey.kid] },
    });

    // After: the keyed app verifies from either source; the keyless one reads as before.
    expect(ok(await cdnOnly.getRegistry())).toMatchObject({
      source: 'cloudflare',
      signedBy: key.publicKey.kid,
    });
    expect(ok(await keyed.getRegistry())).toMatchObject({ source: 'git', signedBy: key.publicKey.kid });
    expect(ok(await keyless.getRegistry())).toMatchObject({ source: 'git', stale: false });
  });

  it('the Worker trusts the key (redeployed with REGISTRY_TRUSTED_KEYS); apps keep reading while it restarts', async () => {
    const began = Date.now();
    const redeploy = stack.redeployWorker({ REGISTRY_TRUSTED_KEYS: JSON.stringify([key.publicKey]) });
    const [whileRestarting, whileRestartingKeyless] = await Promise.all([
      keyed.getRegistry(),
      keyless.getRegistry(),
    ]);
    expect(ok(whileRestarting).signedBy).toBe(key.publicKey.kid);
    expect(ok(whileRestartingKeyless).ok).toBe(true);
    await redeploy;
    console.log(`Worker redeployed with the trusted key in ${Date.now() - began} ms`);
    const synced = await syncWorker(stack);
    expect(synced.body.message).toMatch(/^verified registry version \d+ \(signed by cartae-local-dev\)$/);
    expect(await registryHealth()).toMatchObject({ signed: true, signedBy: key.publicKey.kid });
  });

  it('a tampered registry on Git: the keyed app reads the CDN instead, the keyless one reads on, the Worker refuses it', async () => {
    const original = JSON.parse(sample) as RegistryDocument;
    stack.git.setFile('/registry.json', tampered(sample));
    try {
      for (let read = 0; read < 2; read++) {
        const guarded = ok(await keyed.getRegistry());
        expect(guarded).toMatchObject({ source: 'cloudflare', fallback: true, signedBy: key.publicKey.kid });
        expect(firstDescription(guarded.registry)).toBe(firstDescription(original));
      }
      const unguarded = ok(await keyless.getRegistry());
      expect(unguarded.source).toBe('git');
      expect(firstDescription(unguarded.registry)).not.toBe(firstDescription(original));

      const synced = await syncWorker(stack);
      expect(synced.status).toBe(502);
      expect(synced.body.result).toBe('failed');
      expect(synced.body.message).toContain(
        'signature by key "cartae-local-dev" does not match these registry bytes',
      );
      expect(await (await fetch(`${stack.info.workerUrl}/api/plugins`)).text()).toBe(sample);
      expect(ok(await keyed.getRegistry())).toMatchObject({
        source: 'cloudflare',
        signedBy: key.publicKey.kid,
      });
    } finally {
      stack.git.setFile('/registry.json', sample);
    }
    const restored = ok(await keyed.getRegistry());
    expect(restored.signedBy).toBe(key.publicKey.kid);
    expect(firstDescription(restored.registry)).toBe(firstDescription(original));
    expect(ok(await keyless.getRegistry()).ok).toBe(true);
  });
});
