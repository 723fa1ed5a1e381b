import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GitHost, startGitHost } from '@cartae/local-git-host';
import type { ConfigProvider, MarketplaceSourceResolver } from '@cartae/marketplace-resolver';
import {
  createMarketplaceSourceResolver,
  createMemoryStorage,
  silentLogger,
} from '@cartae/marketplace-resolver';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MarketplacePage } from './MarketplacePage.tsx';
import { RECOVERY_READ_MS } from './read-schedule.ts';

// When the page reads the registry, counted at the resolver's fetch: every request it sends to a
// source, before any answer or timeout. Timers and Date are fake but also follow real time, so the
// loopback hosts answer as usual and a test can jump over a minute of idle time at once.
const registry = readFileSync(join(import.meta.dirname, '../../../registry/registry.json'), 'utf8');
let git: GitHost;
let cdn: GitHost;
beforeAll(async () => {
  [git, cdn] = await Promise.all([
    startGitHost({ files: { '/registry.json': registry } }),
    startGitHost({ files: { '/api/plugins': registry } }),
  ]);
});
afterAll(async () => {
  await Promise.all([git?.close(), cdn?.close()]);
});

const CONFIG_TTL_SECONDS = 300;
let sent: string[] = [];
let resolver: MarketplaceSourceResolver | undefined;
beforeEach(() => {
  sent = [];
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    shouldAdvanceTime: true,
  });
});
afterEach(() => {
  cleanup();
  resolver?.dispose();
  vi.useRealTimers();
  Reflect.deleteProperty(document, 'visibilityState');
  git.reset();
  cdn.reset();
});

/** A control plane in memory, on Git; the test moves the fleet by changing `document`. */
function controlPlane() {
  const plane: { version: number; document: Record<string, unknown>; provider: ConfigProvider } = {
    version: 1,
    document: {
      type: 'git',
      gitUrl: `${git.url}/registry.json`,
      cloudflareUrl: cdn.url,
      cacheTtlSeconds: CONFIG_TTL_SECONDS,
    },
    provider: {
      name: 'test-control-plane',
      load: async () => ({ kind: 'loaded', snapshot: { document: plane.document, version: plane.version } }),
    },
  };
  return plane;
}

/** Opens the page and waits for its first read to be on screen; `sent` is then emptied. */
async function openPage(plane = controlPlane()) {
  resolver = createMarketplaceSourceResolver({
    defaultConfig: { type: 'git', priority: ['git'], gitUrl: `${git.url}/registry.json` },
    providers: [plane.provider],
    urlPolicy: { allowLoopbackHttp: true },
    platform: {
      storage: createMemoryStorage(),
      logger: silentLogger,
      fetch: (input, init) => {
        sent.push(input instanceof Request ? input.url : String(input));
        return fetch(input, init);
      },
    },
  });
  render(<MarketplacePage resolver={resolver} controlPlane />);
  await screen.findByRole('list', { name: 'Plugins' });
  expect(sent).toEqual([`${git.url}/registry.json`]);
  sent = [];
  return resolver;
}

/** Lets `ms` of idle time pass at once, then gives any read it started time to reach a host. */
async function idle(ms: number) {
  await act(() => vi.advanceTimersByTimeAsync(ms));
  await act(() => new Promise((resolve) => setTimeout(resolve, 200)));
}

function setVisibility(state: DocumentVisibilityState) {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

const servedBy = () => screen.getByRole('status', { name: 'Served by' }).textContent;
const freshness = () => screen.queryByRole('status', { name: 'Marketplace freshness' });

describe('when the open page reads the registry', () => {
  it('sends no registry request in a minute of idle time after the first read', async () => {
    await openPage();
    await idle(60_000);
    expect(sent).toEqual([]);
  });

  it('reads once when the config changes (an admin switch), then stays quiet', async () => {
    const plane = controlPlane();
    const live = await openPage(plane);
    plane.document = { ...plane.document, type: 'cloudflare' };
    plane.version = 2;
    await act(() => live.reloadConfig());
    await waitFor(() => expect(servedBy()).toBe('Cloudflare CDN'));
    await idle(60_000);
    expect(sent).toEqual([`${cdn.url}/api/plugins`]);
  });

  it('reads once when a person clicks Refresh', async () => {
    await openPage();
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    await idle(1000);
    expect(sent).toEqual([`${git.url}/registry.json`]);
  });

  it('reads once when the page is shown again after being hidden longer than the config TTL', async () => {
    await openPage();
    // Hidden for a minute, well under the TTL: what is on screen is as recent as the config.
    act(() => setVisibility('hidden'));
    await idle(60_000);
    act(() => setVisibility('visible'));
    await idle(0);
    expect(sent).toEqual([]);

    act(() => setVisibility('hidden'));
    await idle(CONFIG_TTL_SECONDS * 1000 + 1000);
    expect(sent).toEqual([]);
    act(() => setVisibility('visible'));
    await waitFor(() => expect(sent).toHaveLength(1));
    await idle(1000);
    expect(sent).toEqual([`${git.url}/registry.json`]);
  });

  it('while it shows a saved copy, tries again after five minutes, not before', async () => {
    await openPage();
    git.setBehaviour('*', { kind: 'status', status: 503 });
    cdn.setBehaviour('*', { kind: 'status', status: 503 });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() =>
      expect(freshness()?.textContent).toMatch(/Showing the copy of the marketplace saved/),
    );
    sent = [];
    git.setBehaviour('*', { kind: 'serve' });
    cdn.setBehaviour('*', { kind: 'serve' });
    await idle(RECOVERY_READ_MS - 5000);
    expect(sent).toEqual([]);
    await idle(5000);
    await waitFor(() => expect(freshness()).toBeNull());
    expect(sent).toEqual([`${git.url}/registry.json`]);
  });
});
