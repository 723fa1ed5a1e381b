import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryText } from '../../../tests/fixtures/registry-builder.ts';
import { samplePlugin } from '../src/registry/test-plugins.ts';
import { cli } from './support/run-cli.ts';

let dir: string;
let registry: string;
const key = (kid: string, kind: 'private.jwk' | 'public.json') => join(dir, 'keys', `${kid}.${kind}`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cartae-registry-signing-'));
  registry = join(dir, 'registry.json');
  await writeFile(registry, registryText({ version: 3 }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cartae-marketplace registry keygen/sign/verify', { timeout: 60_000 }, () => {
  it('keygen writes a 0600 private key, prints only the public key, and never overwrites', async () => {
    const made = await cli([
      '--json',
      'registry',
      'keygen',
      '--out',
      join(dir, 'keys'),
      '--kid',
      'release-2026',
    ]);
    expect(made.code).toBe(0);
    const out = JSON.parse(made.stdout);
    expect(out).toEqual({
      kid: 'release-2026',
      publicKey: { kid: 'release-2026', x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) },
      privateKeyPath: key('release-2026', 'private.jwk'),
      publicKeyPath: key('release-2026', 'public.json'),
    });
    const jwk = JSON.parse(await readFile(key('release-2026', 'private.jwk'), 'utf8'));
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: 'release-2026', x: out.publicKey.x });
    expect(made.stdout + made.stderr).not.toContain(jwk.d);
    expect((await stat(key('release-2026', 'private.jwk'))).mode & 0o777).toBe(0o600);
    const again = await cli(['registry', 'keygen', '--out', join(dir, 'keys'), '--kid', 'release-2026']);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('refusing to overwrite');
    expect(
      (await cli(['registry', 'keygen', '--out', join(dir, 'keys'), '--kid', 'release-2027'])).code,
    ).toBe(0);
    expect((await cli(['registry', 'keygen', '--out', join(dir, 'keys'), '--kid', 'stranger'])).code).toBe(0);
  });

  it('sign, then verify: valid; --json says by whom and which signatures', async () => {
    const signed = await cli(['registry', 'sign', registry, '--key', key('release-2026', 'private.jwk')]);
    expect(signed.code).toBe(0);
    expect(signed.stdout).toContain(`wrote ${registry}.sig: version 3 signed by release-2026`);
    const human = await cli(['registry', 'verify', registry, '--trust', key('release-2026', 'public.json')]);
    expect(human).toMatchObject({ code: 0 });
    expect(human.stdout).toContain('signed by "release-2026"');
    const json = await cli([
      'registry',
      'verify',
      registry,
      '--trust',
      key('release-2026', 'public.json'),
      '--json',
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      valid: true,
      reason: null,
      signedBy: 'release-2026',
      registry,
      signature: `${registry}.sig`,
      sha256: expect.stringMatching(/^[a-f0-9]{64}$/),
      version: 3,
      signatures: [{ kid: 'release-2026', status: 'valid' }],
      message: 'signed by "release-2026"',
    });
  });

  it('a one-byte change in the registry fails verify (exit 5)', async () => {
    const changed = join(dir, 'changed.json');
    await writeFile(changed, (await readFile(registry, 'utf8')).replace('"version": 3', '"version": 4'));
    const args = [
      'registry',
      'verify',
      changed,
      '--sig',
      `${registry}.sig`,
      '--trust',
      key('release-2026', 'public.json'),
    ];
    const human = await cli(args);
    expect(human.code).toBe(5);
    expect(human.stderr).toContain(
      'signature invalid: signature by key "release-2026" does not match these registry bytes',
    );
    const json = await cli([...args, '--json']);
    expect(json.code).toBe(5);
    expect(JSON.parse(json.stdout)).toMatchObject({
      valid: false,
      reason: 'invalid',
      signedBy: null,
      signatures: [{ kid: 'release-2026', status: 'invalid' }],
    });
  });

  it('a signature by a key not trusted fails verify (exit 3); no signature at all exits 7', async () => {
    const untrusted = await cli([
      '--json',
      'registry',
      'verify',
      registry,
      '--trust',
      key('stranger', 'public.json'),
    ]);
    expect(untrusted.code).toBe(3);
    expect(JSON.parse(untrusted.stdout)).toMatchObject({
      reason: 'untrusted',
      signatures: [{ kid: 'release-2026', status: 'untrusted' }],
    });
    const missing = await cli([
      'registry',
      'verify',
      registry,
      '--sig',
      join(dir, 'none.sig'),
      '--trust',
      key('stranger', 'public.json'),
    ]);
    expect(missing.code).toBe(7);
    expect(missing.stderr).toContain('signature missing: no signature file at');
  });

  it('rotation: a second key appends its signature; either key verifies (kid:x works too)', async () => {
    const appended = await cli(['registry', 'sign', registry, '--key', key('release-2027', 'private.jwk')]);
    expect(appended.code).toBe(0);
    expect(appended.stdout).toContain('kept (not checked): release-2026');
    const file = JSON.parse(await readFile(`${registry}.sig`, 'utf8'));
    expect(file.signatures).toHaveLength(2);
    const next = JSON.parse(await readFile(key('release-2027', 'public.json'), 'utf8'));
    expect((await cli(['registry', 'verify', registry, '--trust', `${next.kid}:${next.x}`])).code).toBe(0);
    expect(
      (await cli(['registry', 'verify', registry, '--trust', key('release-2026', 'public.json')])).code,
    ).toBe(0);
    const fresh = await cli([
      'registry',
      'sign',
      registry,
      '--fresh',
      '--key',
      key('release-2027', 'private.jwk'),
    ]);
    expect(fresh.code).toBe(0);
    expect(JSON.parse(await readFile(`${registry}.sig`, 'utf8')).signatures).toHaveLength(1);
  });

  it('refuses to sign a registry apps would refuse', async () => {
    const expired = join(dir, 'expired.json');
    await writeFile(expired, registryText({ expires: '2020-01-01T00:00:00Z' }));
    const r = await cli(['registry', 'sign', expired, '--key', key('release-2026', 'private.jwk')]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('apps would refuse it');
  });

  it('registry build --key builds and signs in one step', async () => {
    const folder = join(dir, 'registry-folder');
    await mkdir(join(folder, 'plugins'), { recursive: true });
    await writeFile(join(folder, 'plugins', 'alpha.json'), JSON.stringify(samplePlugin('alpha')));
    const built = await cli([
      '--json',
      'registry',
      'build',
      '--folder',
      folder,
      '--key',
      key('release-2026', 'private.jwk'),
    ]);
    expect(built.code).toBe(0);
    expect(JSON.parse(built.stdout)).toMatchObject({
      changed: true,
      signature: join(folder, 'registry.json.sig'),
      signedBy: ['release-2026'],
    });
    const verified = await cli([
      'registry',
      'verify',
      join(folder, 'registry.json'),
      '--trust',
      key('release-2026', 'public.json'),
    ]);
    expect(verified.code).toBe(0);
  });
});
