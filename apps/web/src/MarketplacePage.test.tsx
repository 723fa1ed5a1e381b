import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GitHost, startGitHost } from '@cartae/local-git-host';
import {
  bucketOf,
  exportTrustedKey,
  signRegistryDetached,
  type TrustedRegistryKey,
} from '@cartae/marketplace-core';
import type {
  ConfigProvider,
  KeyValueStorage,
  MarketplaceSourceResolver,
  StorageWriteFailure,
} from '@cartae/marketplace-resolver';
import {
  createMarketplaceSourceResolver,
  createMemoryStorage,
  silentLogger,
} from '@cartae/marketplace-resolver';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MarketplacePage } from './MarketplacePage.tsx';

// The committed sample registry, served by two real loopback hosts in the Git and CDN layouts.
const registry = readFileSync(join(import.meta.dirname, '../../../registry/registry.json'), 'utf8');
const pluginCount = (JSON.parse(registry) as { plugins: unknown[] }).plugins.length;
let git: GitHost;
let cdn: GitHost;
/** jsdom's window is 768 px tall; the list draws only what fits, so the tests give it room for all. */
function windowHeight(px: number) {
  Object.defineProperty(window, 'innerHeight', { value: px, configurable: true, writable: true });
}
beforeAll(async () => {
  windowHeight(20_000);
  [git, cdn] = await Promise.all([
    startGitHost({ files: { '/registry.json': registry } }),
    startGitHost({ files: { '/api/plugins': registry } }),
  ]);
});
afterAll(async () => {
  await Promise.all([git?.close(), cdn?.close()]);
});

let resolver: MarketplaceSourceResolver | undefined;
afterEach(() => {
  cleanup();
  resolver?.dispose();
  git.reset();
  cdn.reset();
});

/** A control plane in memory: the test moves the fleet by changing `document`. */
function controlPlane(type: string, fields: Record<string, unknown> = {}) {
  const plane: { version: number; document: Record<string, unknown>; provider: ConfigProvider } = {
    version: 1,
    document: {
      type,
      gitUrl: `${git.url}/registry.json`,
      cloudflareUrl: cdn.url,
      cacheTtlSeconds: 300,
      ...fields,
    },
    provider: {
      name: 'test-control-plane',
      load: async () => ({ kind: 'loaded', snapshot: { document: plane.document, version: plane.version } }),
    },
  };
  return plane;
}

function renderPage(
  options: {
    providers?: ConfigProvider[];
    trustedKeys?: TrustedRegistryKey[];
    installId?: string;
    storage?: KeyValueStorage;
  } = {},
) {
  resolver = createMarketplaceSourceResolver({
    ...(options.trustedKeys ? { trustedKeys: options.trustedKeys } : {}),
    ...(options.installId ? { installId: options.installId } : {}),
    defaultConfig: { type: 'git', priority: ['git'], gitUrl: `${git.url}/registry.json` },
    providers: options.providers ?? [],
    urlPolicy: { allowLoopbackHttp: true },
    platform: { storage: options.storage ?? createMemoryStorage(), logger: silentLogger },
    ejection: { consecutiveFailures: 1 },
  });
  render(
    <MarketplacePage
      resolver={resolver}
      controlPlane={(options.providers ?? []).length > 0}
      checksSignatures={(options.trustedKeys ?? []).length > 0}
    />,
  );
  return resolver;
}

const servedBy = () => screen.getByRole('status', { name: 'Served by' });
const fact = (name: string) => screen.getByRole('status', { name }).textContent;
/** An install id whose canary bucket is inside (or outside) a canary of `percent`. */
function installId(percent: number, inside: boolean): string {
  for (let n = 0; ; n++) {
    const id = `install-${n}`;
    if (bucketOf(id) < percent * 100 === inside) return id;
  }
}
const signature = () => screen.getByRole('status', { name: 'Registry signature' });
const freshness = () => screen.queryByRole('status', { name: 'Marketplace freshness' });
const offlineCopy = () => screen.queryByRole('status', { name: 'Offline copy' });

/** A storage that refuses the registry's bytes while `refusal` is set, as a full IndexedDB does. */
function refusingStorage(refusal: { failure: StorageWriteFailure | undefined }) {
  const inner = createMemoryStorage();
  const storage: KeyValueStorage = {
    ...inner,
    set: async (key, value) =>
      key === 'registry' && refusal.failure ? refusal.failure : inner.set(key, value),
  };
  return { storage, saved: () => inner.entries.get('registry') };
}
const quotaFull: StorageWriteFailure = {
  code: 'storage_full',
  message: 'IndexedDB is over its quota (QuotaExceededError) writing "registry"',
};

describe('the marketplace page', () => {
  it('lists every plugin with its version, author and description, served by Git', async () => {
    renderPage({ providers: [controlPlane('git').provider] });
    const list = await screen.findByRole('list', { name: 'Plugins' });
    expect(within(list).getAllByRole('article')).toHaveLength(pluginCount);
    expect(screen.getByRole('status', { name: 'Plugin count' }).textContent).toBe(`${pluginCount} plugins`);
    const card = screen.getByRole('article', { name: 'Kanban Swimlanes' });
    expect(card.textContent).toContain('v1.7.0');
    expect(card.textContent).toContain('by Mira Okafor');
    expect(servedBy().textContent).toBe('Git');
    expect(screen.getByRole('status', { name: 'Config version' }).textContent).toBe('1');
    expect(screen.getByRole('link', { name: `${git.url}/registry.json` })).toBeTruthy();
    expect(freshness()).toBeNull();
  });

  it('says how many plugins there are, and each drawn card its place among them', async () => {
    // How few cards are drawn needs real layout: tests/marketplace/real-size.e2e.ts, in Chromium.
    renderPage({ providers: [controlPlane('git').provider] });
    const list = await screen.findByRole('list', { name: 'Plugins' });
    const drawn = [...list.querySelectorAll(':scope > li')];
    expect(drawn[0]?.getAttribute('aria-posinset')).toBe('1');
    expect(drawn.at(-1)?.getAttribute('aria-posinset')).toBe(String(drawn.length));
    expect(drawn[0]?.getAttribute('aria-setsize')).toBe(String(pluginCount));
    expect(screen.getByRole('status', { name: 'Plugin count' }).textContent).toBe(`${pluginCount} plugins`);
  });

  it('says the registry is verified and by which key when the app ships keys, and not checked when it does not', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const sig = await signRegistryDetached(new TextEncoder().encode(registry), [
      { kid: 'release-2026', privateKey: pair.privateKey },
    ]);
    git.setFile('/registry.json.sig', sig);
    renderPage({
      providers: [controlPlane('git').provider],
      trustedKeys: [await exportTrustedKey('release-2026', pair.publicKey)],
    });
    await waitFor(() => expect(signature().textContent).toBe('Verified: signed by release-2026'));
    cleanup();
    resolver?.dispose();
    renderPage({ providers: [controlPlane('git').provider] });
    await waitFor(() => expect(signature().textContent).toBe('Not checked: this app ships no signing key'));
  });

  it('filters as you type', async () => {
    renderPage({ providers: [controlPlane('git').provider] });
    await screen.findByRole('list', { name: 'Plugins' });
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search plugins' }), 'kanban');
    await waitFor(() => expect(screen.getByText(/^Showing 3 of \d+ plugins$/)).toBeTruthy());
    await userEvent.clear(screen.getByRole('searchbox', { name: 'Search plugins' }));
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search plugins' }), 'zzz');
    await waitFor(() => expect(screen.getByText('No plugin matches “zzz”.')).toBeTruthy());
  });

  it('follows a fleet switch to the CDN without a reload', async () => {
    const plane = controlPlane('git');
    const live = renderPage({ providers: [plane.provider] });
    await waitFor(() => expect(servedBy().textContent).toBe('Git'));
    plane.document = { ...plane.document, type: 'cloudflare' };
    plane.version = 2;
    await live.reloadConfig(); // what the config TTL timer does in production
    await waitFor(() => expect(servedBy().textContent).toBe('Cloudflare CDN'));
    expect(screen.getByRole('status', { name: 'Config version' }).textContent).toBe('2');
    expect(screen.getByRole('link', { name: `${cdn.url}/api/plugins` })).toBeTruthy();
  });

  it('says when it runs on the built-in settings (no control plane)', async () => {
    renderPage();
    await waitFor(() => expect(servedBy().textContent).toBe('Git'));
    expect(freshness()?.textContent).toMatch(/built-in marketplace settings: no control plane is configured/);
    expect(screen.getByRole('status', { name: 'Config version' }).textContent).toBe('built-in');
  });

  it('keeps the list, with a calm stale banner, when every source fails', async () => {
    renderPage({ providers: [controlPlane('git').provider] });
    await screen.findByRole('list', { name: 'Plugins' });
    // Both: with fallbackOnError a Git fleet still falls back to the configured CDN.
    git.setBehaviour('*', { kind: 'status', status: 503 });
    cdn.setBehaviour('*', { kind: 'status', status: 503 });
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() =>
      expect(freshness()?.textContent).toMatch(/Showing the copy of the marketplace saved/),
    );
    expect(within(screen.getByRole('list', { name: 'Plugins' })).getAllByRole('article')).toHaveLength(
      pluginCount,
    );
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows a calm message, not an error page, when nothing was ever available', async () => {
    git.setBehaviour('*', { kind: 'status', status: 500 });
    cdn.setBehaviour('*', { kind: 'status', status: 500 });
    renderPage({ providers: [controlPlane('hybrid').provider] });
    expect(
      await screen.findByRole('heading', { name: 'The marketplace is not reachable right now' }),
    ).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Try again now' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  // A control plane's document per case: the hosts start in `beforeAll`, so the table names fields.
  const canaryGitFirst = { type: 'hybrid', priority: ['git', 'cloudflare'], canaryPercent: 12 };
  it.each([
    {
      name: 'Git',
      fields: { type: 'git' },
      mode: 'Git (CDN as fallback)',
      install: 'Tries Git first, then CDN',
      served: 'Git',
      how: 'Git, this install’s first choice',
    },
    {
      name: 'the CDN',
      fields: { type: 'cloudflare' },
      mode: 'CDN (Git as fallback)',
      install: 'Tries CDN first, then Git',
      served: 'Cloudflare CDN',
      how: 'CDN, this install’s first choice',
    },
    {
      name: 'a hybrid, CDN first',
      fields: { type: 'hybrid', priority: ['cloudflare', 'git'] },
      mode: 'Hybrid (CDN first, Git as fallback)',
      install: 'Tries CDN first, then Git',
      served: 'Cloudflare CDN',
      how: 'CDN, this install’s first choice',
    },
    {
      name: 'a hybrid whose 12% canary tries Git first, from an install in the canary',
      fields: canaryGitFirst,
      installId: installId(12, true),
      mode: 'Hybrid (Git first for a 12% canary, CDN first for the rest; each falls back to the other)',
      install: 'In the 12% canary: tries Git first, then CDN',
      served: 'Git',
      how: 'Git, this install’s first choice',
    },
    {
      name: 'a hybrid whose 12% canary tries Git first, from an install outside the canary',
      fields: canaryGitFirst,
      installId: installId(12, false),
      mode: 'Hybrid (Git first for a 12% canary, CDN first for the rest; each falls back to the other)',
      install: 'Outside the 12% canary: tries CDN first, then Git',
      served: 'Cloudflare CDN',
      how: 'CDN, this install’s first choice',
    },
  ])('says in words the source mode of $name, this install’s order and who served the list', async (row) => {
    const { type, ...fields } = row.fields;
    renderPage({
      providers: [controlPlane(type, fields).provider],
      ...(row.installId ? { installId: row.installId } : {}),
    });
    await screen.findByRole('list', { name: 'Plugins' });
    await waitFor(() => expect(fact('Source mode')).toBe(row.mode));
    expect(fact('This install')).toBe(row.install);
    expect(servedBy().textContent).toBe(row.served);
    expect(fact('How it was served')).toBe(row.how);
  });

  it('says when a fallback served the list, and which source did', async () => {
    cdn.setBehaviour('*', { kind: 'status', status: 503 });
    renderPage({ providers: [controlPlane('hybrid', { priority: ['cloudflare', 'git'] }).provider] });
    await screen.findByRole('list', { name: 'Plugins' });
    expect(fact('Source mode')).toBe('Hybrid (CDN first, Git as fallback)');
    expect(fact('This install')).toBe('Tries CDN first, then Git');
    expect(servedBy().textContent).toBe('Git');
    expect(fact('How it was served')).toBe('Fallback: CDN failed, so Git served this list');
  });

  it('shows the live statistics', async () => {
    const live = renderPage({ providers: [controlPlane('git').provider] });
    await screen.findByRole('list', { name: 'Plugins' });
    const stats = screen.getByRole('region', { name: 'Live statistics' });
    await waitFor(
      () => expect(stats.textContent).toContain(`Total requests${live.getStats().totalRequests}`),
      {
        timeout: 2500,
      },
    );
    expect(live.getStats().gitRequests).toBeGreaterThan(0);
    // The latest read's time, split: the download, and the processing after its last byte.
    expect(stats.textContent).toMatch(/Last read: network(\d+ ms|none)/);
    expect(stats.textContent).toMatch(/Last read: processing\d+ ms/);
  });
});

describe('the banner for a list not saved for offline use', () => {
  it('says so, with the reason, when the storage refuses the list', async () => {
    const { storage, saved } = refusingStorage({ failure: quotaFull });
    renderPage({ providers: [controlPlane('git').provider], storage });
    await screen.findByRole('list', { name: 'Plugins' });
    const banner = await screen.findByRole('status', { name: 'Offline copy' });
    expect(banner.textContent).toContain(
      'This list could not be saved on this device (storage full): next time without a network it will not be shown.',
    );
    expect(banner.textContent).toContain(`Reason given: ${quotaFull.message}.`);
    expect(saved()).toBeUndefined();
    // Still a status, not an alarm: the list works now.
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows nothing when the list is saved', async () => {
    const { storage, saved } = refusingStorage({ failure: undefined });
    renderPage({ providers: [controlPlane('git').provider], storage });
    await screen.findByRole('list', { name: 'Plugins' });
    await waitFor(() => expect(saved()).toBe(registry));
    // The announcement would follow the write at once; give it a moment to arrive.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(offlineCopy()).toBeNull();
  });

  it('goes away once a later list is saved', async () => {
    const refusal = { failure: quotaFull as StorageWriteFailure | undefined };
    const { storage, saved } = refusingStorage(refusal);
    renderPage({ providers: [controlPlane('git').provider], storage });
    await screen.findByRole('status', { name: 'Offline copy' });
    refusal.failure = undefined; // space was freed
    const next = JSON.stringify({ ...JSON.parse(registry), version: 2 });
    git.setFile('/registry.json', next);
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(saved()).toBe(next));
    await waitFor(() => expect(offlineCopy()).toBeNull());
    expect(screen.getByRole('list', { name: 'Plugins' })).toBeTruthy();
  });
});
