import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';

// Vitest runs from the repository root (vitest.config.ts); under jsdom import.meta.url is no file URL.
const cli = join(process.cwd(), 'packages/local-supabase/src/cli.ts');
const tsx = join(process.cwd(), 'node_modules/tsx/dist/cli.mjs');

/**
 * A Supabase stand-in of one test file's own, served by `local-supabase serve` in a child process
 * (the stand-in's JWT signing does not run inside jsdom), for tests that write versions or change
 * who is an admin. Users are created as an operator would: the Auth admin API, then
 * `add_marketplace_admin`, with the service key. `stop()` ends that process alone.
 */
export async function startAdminsStandIn() {
  const child = spawn(process.execPath, [tsx, cli, 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { supabaseUrl, anonKey, serviceRoleKey } = await keysFrom(child);
  const service = createClient(supabaseUrl, serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  async function createUser(user: { email: string; password: string; name?: string; admin?: boolean }) {
    const { data, error } = await service.auth.admin.createUser({
      email: user.email,
      password: user.password,
      email_confirm: true,
      ...(user.name ? { user_metadata: { full_name: user.name } } : {}),
    });
    if (error || !data.user) throw error ?? new Error(`no user for ${user.email}`);
    if (user.admin) {
      const added = await service.rpc('add_marketplace_admin', {
        p_user_id: data.user.id,
        p_email: user.email,
        p_display_name: user.name ?? null,
      });
      if (added.error) throw new Error(added.error.message);
    }
    return { id: data.user.id };
  }
  return {
    where: { supabaseUrl, anonKey },
    createUser,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The URL and keys `serve` prints once it listens. */
function keysFrom(child: ChildProcess) {
  return new Promise<{ supabaseUrl: string; anonKey: string; serviceRoleKey: string }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the stand-in did not start:\n${out}`)), 60_000);
    child.stderr?.on('data', (chunk) => {
      out += String(chunk);
    });
    child.once('exit', (code) => reject(new Error(`the stand-in exited (${code}):\n${out}`)));
    child.stdout?.on('data', (chunk) => {
      out += String(chunk);
      const url = /API URL:\s+(\S+)/.exec(out)?.[1];
      const anon = /anon key:\s+(\S+)/.exec(out)?.[1];
      const role = /service_role key:\s+(\S+)/.exec(out)?.[1];
      if (url && anon && role) {
        clearTimeout(timer);
        resolve({ supabaseUrl: url, anonKey: anon, serviceRoleKey: role });
      }
    });
  });
}
