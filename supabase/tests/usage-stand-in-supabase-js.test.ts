import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './support/backends.ts';
import { type StandInFixture, startStandInOn } from './support/stand-in.ts';
import { currentMinute, isoMinute, usageRow } from './support/usage-rows.ts';

describe.each(BACKENDS)('usage telemetry through supabase-js and the stand-in on %s', (backend) => {
  let f: StandInFixture;
  let rows: ReturnType<typeof usageRow>[];
  beforeAll(async () => {
    f = await startStandInOn(backend);
    await f.standIn.createUser({ email: 'admin@cartae.test', password: 'admin-password', admin: true });
    await f.standIn.createUser({ email: 'user@cartae.test', password: 'user-password' });
    const minute = isoMinute(await currentMinute(f.standIn.database), -1);
    rows = [
      usageRow(minute, {
        installs: 2,
        reports: 2,
        requests: 9,
        successes: 9,
        quotaRemaining: 4000,
        quotaLimit: 5000,
      }),
      usageRow(minute, { source: 'cloudflare', installs: 1, reports: 1, requests: 3, successes: 3 }),
    ];
  });
  afterAll(async () => {
    await f?.close();
  });

  async function signedIn(email: string, password: string) {
    const client = f.client();
    const { error } = await client.auth.signInWithPassword({ email, password });
    expect(error).toBeNull();
    return client;
  }

  it('the Worker, with the service role key, ingests a batch; an admin reads it back', async () => {
    const worker = f.client({ key: f.standIn.serviceRoleKey });
    const ingested = await worker.rpc('ingest_usage_aggregates', { p_rows: rows });
    expect(ingested.error).toBeNull();
    expect(ingested.data).toBe(2);

    const admin = await signedIn('admin@cartae.test', 'admin-password');
    const usage = await admin.rpc('get_fleet_usage', { p_minutes: 60 });
    expect(usage.error).toBeNull();
    expect(usage.data).toMatchObject({
      minutes: 60,
      sources: { git: { requests: 9, quotaRemaining: 4000, quotaLimit: 5000 }, cloudflare: { requests: 3 } },
    });
    // A read: PostgREST also serves it by GET, in a read-only transaction.
    const byGet = await admin.rpc('get_fleet_usage', { p_minutes: 60 }, { get: true });
    expect(byGet.data).toEqual(usage.data);
  });

  it('an invalid batch is a 400 naming the row and field, and nothing is written', async () => {
    const worker = f.client({ key: f.standIn.serviceRoleKey });
    const bad = await worker.rpc('ingest_usage_aggregates', {
      p_rows: [rows[0], { ...rows[1], source: 'r2' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.error).toMatchObject({
      code: '22023',
      message: 'invalid usage aggregates: p_rows[1].source must be one of cloudflare, git',
    });
    const { rows: stored } = await f.standIn.database.query<{ n: number }>(
      'select sum(requests)::int as n from public.usage_minutes',
    );
    expect(stored[0]?.n).toBe(12);
  });

  it('anon and signed-in users may not ingest or prune; only admins read the summary', async () => {
    const anon = f.client();
    const anonIngest = await anon.rpc('ingest_usage_aggregates', { p_rows: rows });
    expect(anonIngest.status).toBe(401);
    expect(anonIngest.error?.code).toBe('42501');
    expect((await anon.rpc('get_fleet_usage')).status).toBe(401);

    const user = await signedIn('user@cartae.test', 'user-password');
    expect((await user.rpc('ingest_usage_aggregates', { p_rows: rows })).status).toBe(403);
    expect((await user.rpc('get_fleet_usage')).error).toMatchObject({
      code: '42501',
      message: 'only marketplace admins may do this',
    });

    const admin = await signedIn('admin@cartae.test', 'admin-password');
    expect((await admin.rpc('ingest_usage_aggregates', { p_rows: rows })).status).toBe(403);
    expect((await admin.rpc('prune_usage')).status).toBe(403);
    const { rows: stored } = await f.standIn.database.query<{ n: number }>(
      'select sum(requests)::int as n from public.usage_minutes',
    );
    expect(stored[0]?.n).toBe(12);
  });

  it('the service role prunes on demand', async () => {
    const pruned = await f.client({ key: f.standIn.serviceRoleKey }).rpc('prune_usage');
    expect(pruned.error).toBeNull();
    expect(pruned.data).toEqual({ minutesRolledUp: 0, hoursWritten: 0, hoursDeleted: 0, batchIdsDeleted: 0 });
  });
});
