import { env } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forgetPluginIndexes } from '../src/registry/plugin-index.ts';
import { pluginShardKey, pluginShardOf } from '../src/registry/plugin-shards.ts';
import { forgetSnapshot } from '../src/registry/snapshot-memory.ts';
import {
  CURRENT_META_KEY,
  CURRENT_REGISTRY_KEY,
  readCurrentMeta,
  readCurrentSnapshot,
} from '../src/registry/snapshot-store.ts';
import { GIT_SCENARIOS } from './support/scenarios.ts';
import { gitBytes, gitUrl, request, resetWorkerState, runCron } from './support/worker-harness.ts';

beforeEach(async () => {
  await resetWorkerState();
  forgetPluginIndexes();
});
// A test below edits a shard in KV: no other file may meet the isolate's copy of it.
afterEach(forgetPluginIndexes);

/** The current snapshot as the mirror stored it (fails the test when there is none). */
async function stored() {
  const snapshot = await readCurrentSnapshot(env.REGISTRY_KV);
  if (snapshot === undefined) throw new Error('no snapshot stored');
  return snapshot;
}

describe('GET /api/plugins/:id', () => {
  it('serves one plugin entry of the current registry, with an ETag and 304', async () => {
    const response = await request('/api/plugins/plugin-00001');
    expect(response.status).toBe(200);
    const plugin = (await response.json()) as { id: string; name: string; sha256: string };
    expect(plugin).toMatchObject({ id: 'plugin-00001', name: 'Plugin 1' });
    expect(plugin.sha256).toMatch(/^[0-9a-f]{64}$/);
    const etag = response.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"r2-[0-9a-f]{32}-plugin-00001"$/);
    expect(response.headers.get('cache-control')).toContain('stale-if-error');
    const again = await request('/api/plugins/plugin-00001', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('answers 404 with a JSON error for an unknown id', async () => {
    const response = await request('/api/plugins/no-such-plugin');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({
      error: { code: 'plugin_not_found', message: 'no plugin "no-such-plugin" in registry version 2' },
    });
  });

  it('answers 400 for an id no plugin can have', async () => {
    for (const id of ['Upper', '-dash-first', 'a'.repeat(101), 'has%20space', '%E0%A4%A']) {
      const response = await request(`/api/plugins/${id}`);
      expect(response.status, id).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_plugin_id');
    }
  });

  it('finds entries in a registry mirrored with its signature', async () => {
    const overrides = {
      REGISTRY_GIT_URL: gitUrl(GIT_SCENARIOS.signed),
      REGISTRY_TRUSTED_KEYS: (await import('cloudflare:test')).env.TEST_TRUSTED_KEYS,
    };
    const response = await request('/api/plugins/plugin-00002', {}, overrides);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: string }).id).toBe('plugin-00002');
    expect(response.headers.get('x-registry-version')).toBe('4');
  });
});

describe('per-plugin answers, prepared once per mirrored version', () => {
  it('the mirror stores every entry in the shard its id names, keyed by the bytes’ ETag', async () => {
    await runCron();
    const { meta } = await stored();
    expect(meta.pluginShards).toBeGreaterThanOrEqual(1);
    const shards = meta.pluginShards as number;
    const registry = JSON.parse(new TextDecoder().decode(await gitBytes(GIT_SCENARIOS.current))) as {
      plugins: { id: string }[];
    };
    for (const plugin of registry.plugins) {
      const shard = await env.REGISTRY_KV.get<Record<string, unknown>>(
        pluginShardKey(meta.etag, pluginShardOf(plugin.id, shards)),
        'json',
      );
      expect(shard?.[plugin.id], plugin.id).toEqual(plugin);
    }
  });

  it('the mirror stores the current snapshot’s metadata on its own, next to the bytes', async () => {
    await runCron();
    expect(await readCurrentMeta(env.REGISTRY_KV)).toEqual((await stored()).meta);
  });

  it('answers from the shard, not from a parse of the whole registry', async () => {
    await runCron();
    const { meta } = await stored();
    const key = pluginShardKey(meta.etag, pluginShardOf('plugin-00001', meta.pluginShards as number));
    const shard = (await env.REGISTRY_KV.get<Record<string, { name: string }>>(key, 'json')) ?? {};
    // Marked in KV only: a whole-registry parse would still say "Plugin 1".
    shard['plugin-00001'] = { ...(shard['plugin-00001'] as { name: string }), name: 'From its shard' };
    await env.REGISTRY_KV.put(key, JSON.stringify(shard));
    const response = await request('/api/plugins/plugin-00001');
    expect(((await response.json()) as { name: string }).name).toBe('From its shard');
    const missing = await request('/api/plugins/no-such-plugin');
    expect(missing.status).toBe(404);
  });

  it('a snapshot stored before shards is still served, and the next mirror run adds its shards', async () => {
    await runCron();
    const before = await stored();
    const { pluginShards: _, ...olderMeta } = before.meta;
    // As an earlier release stored it: no shards named, no metadata of its own.
    await env.REGISTRY_KV.put(CURRENT_REGISTRY_KEY, before.bytes, { metadata: olderMeta });
    await env.REGISTRY_KV.delete(CURRENT_META_KEY);
    forgetSnapshot(env.REGISTRY_KV);
    const response = await request('/api/plugins/plugin-00002');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: string }).id).toBe('plugin-00002');

    await runCron(); // Git answers 304; the mirror judges the held bytes once more to store shards
    const after = await stored();
    expect(after.meta.pluginShards).toBe(before.meta.pluginShards);
    expect(after.meta.etag).toBe(before.meta.etag);
    expect(await readCurrentMeta(env.REGISTRY_KV)).toEqual(after.meta);
  });
});
