import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { type RunningStandIn, startSupabaseStandIn } from '../../../packages/local-supabase/src/index.ts';
import { type BackendName, openBackend } from './backends.ts';

export interface StandInFixture {
  standIn: RunningStandIn;
  /** A supabase-js client, unmodified, with the anon key. */
  client(options?: { key?: string; accessToken?: string }): SupabaseClient;
  close(): Promise<void>;
}

/** The stand-in over a fresh, migrated database on one back end. */
export async function startStandInOn(backend: BackendName): Promise<StandInFixture> {
  const { db, close } = await openBackend(backend);
  const standIn = await startSupabaseStandIn({ database: db, migrate: false });
  return {
    standIn,
    client(options = {}) {
      return createClient(standIn.url, options.key ?? standIn.anonKey, {
        auth: { persistSession: false, autoRefreshToken: false },
        ...(options.accessToken
          ? { global: { headers: { Authorization: `Bearer ${options.accessToken}` } } }
          : {}),
      });
    },
    async close() {
      await standIn.close();
      await close();
    },
  };
}
