import { describe, expect, it } from 'vitest';
import { type AdminSupabaseClient, MarketplaceConfigService } from './marketplace-config-service.ts';

/** A client answering each RPC after `release()`, counting the calls by function. */
function slowClient() {
  const calls: string[] = [];
  let version = 7;
  const waiting: (() => void)[] = [];
  const client: AdminSupabaseClient = {
    rpc(fn) {
      calls.push(fn);
      if (fn === 'update_app_config') version += 1;
      const row = { config_value: { type: 'git' }, version, updated_at: '2026-11-30T20:00:00Z' };
      return new Promise((resolve) => waiting.push(() => resolve({ data: [row], error: null, status: 200 })));
    },
  };
  const release = () => {
    for (const answer of waiting.splice(0)) answer();
  };
  return { client, calls, release };
}

describe('reading the current config', () => {
  it('shares one request among the reads made while it is in flight', async () => {
    const { client, calls, release } = slowClient();
    const service = new MarketplaceConfigService(client);
    const reads = [service.get(), service.get(), service.get()];
    release();
    const answers = await Promise.all(reads);
    expect(calls).toEqual(['get_marketplace_config']);
    expect(answers.map((a) => a.ok && a.value.version)).toEqual([7, 7, 7]);
    // Once answered, the next read asks again.
    const later = service.get();
    release();
    await later;
    expect(calls).toEqual(['get_marketplace_config', 'get_marketplace_config']);
  });

  it('never hands a read started before a save to a caller after it', async () => {
    const { client, calls, release } = slowClient();
    const service = new MarketplaceConfigService(client);
    const before = service.get();
    const saved = service.update({ type: 'cloudflare' }, { expectedVersion: 7 });
    const after = service.get();
    release();
    await Promise.all([before, saved]);
    expect(calls).toEqual(['get_marketplace_config', 'update_app_config', 'get_marketplace_config']);
    const answer = await after;
    expect(answer.ok && answer.value.version).toBe(8);
  });
});
