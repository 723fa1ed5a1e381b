import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStandIn, startSupabaseStandIn } from '../../local-supabase/src/index.ts';
import { MarketplaceAdmins } from '../src/service/marketplace-admins.ts';

// A stand-in of this file's own: these tests change who is an admin.
let standIn: RunningStandIn;
let ada: { id: string };
beforeAll(async () => {
  standIn = await startSupabaseStandIn();
  ada = await standIn.createUser({ email: 'ada@admins.test', password: 'ada-password', admin: true });
}, 60_000);
afterAll(() => standIn.close());

async function signedIn(email: string, password: string) {
  const client = createClient(standIn.url, standIn.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const { error } = await client.auth.signInWithPassword({ email, password });
  if (error) throw error;
  return new MarketplaceAdmins(client);
}

describe('MarketplaceAdmins against the stand-in', () => {
  it('lists the admins through list_marketplace_admins, and knows who is signed in', async () => {
    const admins = await signedIn('ada@admins.test', 'ada-password');
    expect(await admins.list()).toMatchObject({
      ok: true,
      value: { kind: 'listed', admins: [{ userId: ada.id, email: 'ada@admins.test' }] },
    });
    expect(await admins.currentUser()).toEqual({ id: ada.id, email: 'ada@admins.test' });
  });

  it('refuses a malformed email before calling, and an email nobody signed up with in the database words', async () => {
    const admins = await signedIn('ada@admins.test', 'ada-password');
    const bad = await admins.add({ email: 'grace' });
    expect(bad.ok ? '' : bad.error.message).toBe(
      'Enter the new admin’s email address, like ada@example.com.',
    );
    const nobody = await admins.add({ email: 'nobody@admins.test' });
    expect(nobody.ok ? '' : nobody.error.message).toBe(
      'Nobody has signed up with the email nobody@admins.test. The person signs up first; then add them by their email.',
    );
  });

  it('adds an admin by email, removes them, and never removes the last admin (PT403, in its words)', async () => {
    const grace = await standIn.createUser({ email: 'grace@admins.test', password: 'grace-password' });
    const admins = await signedIn('ada@admins.test', 'ada-password');
    const added = await admins.add({ email: 'GRACE@admins.test', displayName: 'Grace' });
    expect(added).toMatchObject({
      ok: true,
      value: { userId: grace.id, email: 'grace@admins.test', displayName: 'Grace' },
    });

    // Grace, now an admin, can act; she removes Ada, then cannot remove herself, the last one.
    const asGrace = await signedIn('grace@admins.test', 'grace-password');
    expect(await asGrace.remove(ada.id)).toEqual({ ok: true, value: true });
    expect(await asGrace.remove(grace.id)).toEqual({
      ok: false,
      error: {
        kind: 'invalid',
        message: 'Refusing to remove the last marketplace admin. Add another admin first.',
      },
    });
    expect(await asGrace.remove(ada.id)).toEqual({ ok: true, value: false });
    await asGrace.add({ email: 'ada@admins.test' });
  });

  it('a member who is not an admin is told so', async () => {
    await standIn.createUser({ email: 'member@admins.test', password: 'member-password' });
    const member = await signedIn('member@admins.test', 'member-password');
    const refused = await member.remove(ada.id);
    expect(refused.ok ? undefined : refused.error.kind).toBe('not_authorised');
  });
});
