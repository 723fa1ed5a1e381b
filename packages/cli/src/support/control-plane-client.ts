import { MarketplaceConfigService } from '@cartae/plugin-admin/service';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Command } from 'commander';
import { CliError, EXIT } from './exit-codes.ts';
import { readLocalStack } from './local-stack-file.ts';

/** Flags every control-plane command accepts; each falls back to an environment variable. */
export interface ConnectionFlags {
  url?: string;
  anonKey?: string;
  serviceKey?: string;
  email?: string;
  password?: string;
  dataDir: string;
}

export const CONNECTION_HELP = `Connection: --url/SUPABASE_URL and --anon-key/SUPABASE_ANON_KEY; to write, either
--email/CARTAE_ADMIN_EMAIL + --password/CARTAE_ADMIN_PASSWORD (an admin account) or
--service-key/SUPABASE_SERVICE_ROLE_KEY (automation). Without them, the local stack started
by \`cartae-marketplace up\` is used.`;

/** Adds the connection flags (each with its environment variable) to a control-plane command. */
export function withConnection(command: Command): Command {
  return command
    .option('--url <url>', 'Supabase project URL (default: $SUPABASE_URL, else the local stack)')
    .option('--anon-key <key>', 'anon key (default: $SUPABASE_ANON_KEY)')
    .option('--service-key <key>', 'service_role key, for automation (default: $SUPABASE_SERVICE_ROLE_KEY)')
    .option('--email <email>', 'admin email (default: $CARTAE_ADMIN_EMAIL)')
    .option('--password <password>', 'admin password (default: $CARTAE_ADMIN_PASSWORD)');
}

/**
 * A `MarketplaceConfigService` on a supabase-js client for the given project; signs in when
 * `write` is asked (admin account or service key).
 */
export async function connect(
  flags: ConnectionFlags,
  options: { write: boolean },
): Promise<{ service: MarketplaceConfigService; supabase: SupabaseClient; target: string }> {
  const local = readLocalStack(flags.dataDir);
  const url = flags.url ?? process.env.SUPABASE_URL ?? local?.supabaseUrl;
  const anonKey = flags.anonKey ?? process.env.SUPABASE_ANON_KEY ?? local?.anonKey;
  if (!url) {
    // Nothing to reach: unreachable (6), as a stopped stack at a known URL would be, not a usage error.
    throw new CliError(
      `No control plane is running here: start the local stack with \`npm start\` (or \`cartae-marketplace up\`), or name one.\n${CONNECTION_HELP}`,
      EXIT.unreachable,
    );
  }
  if (!anonKey) throw new CliError(`${url} needs its anon key.\n${CONNECTION_HELP}`, EXIT.usage);
  const serviceKey = flags.serviceKey ?? process.env.SUPABASE_SERVICE_ROLE_KEY;
  const key = options.write && serviceKey ? serviceKey : anonKey;
  const supabase = createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  if (options.write && !serviceKey) {
    const email =
      flags.email ??
      process.env.CARTAE_ADMIN_EMAIL ??
      (url === local?.supabaseUrl ? local.admin.email : undefined);
    const password =
      flags.password ??
      process.env.CARTAE_ADMIN_PASSWORD ??
      (url === local?.supabaseUrl ? local.admin.password : undefined);
    if (!email || !password) {
      throw new CliError(
        `This command needs an admin account or the service key.\n${CONNECTION_HELP}`,
        EXIT.usage,
      );
    }
    const { error } = await supabase.auth.signInWithPassword({ email, password });
    if (error) {
      const unreachable = error.name === 'AuthRetryableFetchError';
      throw new CliError(
        unreachable
          ? `The control plane at ${url} cannot be reached.`
          : `Sign-in as ${email} failed: ${error.message}`,
        unreachable ? EXIT.unreachable : EXIT.notAuthorised,
      );
    }
  }
  return { service: new MarketplaceConfigService(supabase), supabase, target: url };
}
