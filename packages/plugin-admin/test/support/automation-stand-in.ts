import { createClient } from '@supabase/supabase-js';
import { inject } from 'vitest';

/**
 * The stand-in of fleet-automation.test.tsx alone (see global-setup.ts): the users, where to
 * sign in, and the Worker's client (the service role key: record_fleet_alert, usage, the
 * automation's evaluation).
 */
export function automationStandIn() {
  const { supabaseUrl, anonKey, serviceRoleKey, admin, member } = inject('automationStack');
  const worker = createClient(supabaseUrl, serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  return { where: { supabaseUrl, anonKey }, admin, member, worker };
}
