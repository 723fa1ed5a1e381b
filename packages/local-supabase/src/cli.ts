/**
 * The local Supabase stand-in's command line:
 *
 *   serve         [--port 54321] [--host 127.0.0.1] [--data-dir DIR | --database-url URL]
 *                 [--admin-email E --admin-password P [--admin-name N]]
 *   create-admin  --email E --password P [--name N]
 *                 (--url URL --service-key KEY | --data-dir DIR | --database-url URL)
 *
 * `create-admin --url` talks to a running stand-in or to a real Supabase project the same way
 * (Auth admin API + `add_marketplace_admin` with the service key); `--data-dir`/`--database-url`
 * write to a database no stand-in is serving.
 */
import { parseArgs } from 'node:util';
import { createClient } from '@supabase/supabase-js';
import { seedUser } from './auth/seed-user.ts';
import { createDatabase } from './database/create-database.ts';
import { applyMigrations } from './migrations/migrate.ts';
import { startSupabaseStandIn } from './server/start-stand-in.ts';

const USAGE = `usage:
  local-supabase serve [--port 54321] [--host 127.0.0.1] [--data-dir DIR | --database-url URL]
                       [--admin-email E --admin-password P [--admin-name N]]
  local-supabase create-admin --email E --password P [--name N]
                       (--url URL --service-key KEY | --data-dir DIR | --database-url URL)`;

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  options: {
    port: { type: 'string', default: '54321' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string' },
    'database-url': { type: 'string' },
    'admin-email': { type: 'string' },
    'admin-password': { type: 'string' },
    'admin-name': { type: 'string' },
    email: { type: 'string' },
    password: { type: 'string' },
    name: { type: 'string' },
    url: { type: 'string' },
    'service-key': { type: 'string' },
  },
});

try {
  if (command === 'serve') await serveCommand();
  else if (command === 'create-admin') await createAdminCommand();
  else {
    console.error(USAGE);
    process.exitCode = 2;
  }
} catch (error) {
  console.error(`✖ ${(error as Error).message}`);
  process.exitCode = 1;
}

async function serveCommand(): Promise<void> {
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0..65535, got ${values.port}`);
  const databaseUrl = values['database-url'] ?? process.env.DATABASE_URL;
  const standIn = await startSupabaseStandIn({
    port,
    hostname: values.host,
    ...(databaseUrl ? { databaseUrl } : values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(process.env.SUPABASE_JWT_SECRET ? { jwtSecret: process.env.SUPABASE_JWT_SECRET } : {}),
    log: (line) => console.log(`  ${line}`),
  });
  if (values['admin-email'] && values['admin-password']) {
    await standIn.createUser({
      email: values['admin-email'],
      password: values['admin-password'],
      ...(values['admin-name'] ? { displayName: values['admin-name'] } : {}),
      admin: true,
    });
    console.log(`  admin ${values['admin-email']} ready`);
  }
  const backend = databaseUrl
    ? 'PostgreSQL (DATABASE_URL)'
    : values['data-dir']
      ? `PGlite in ${values['data-dir']}`
      : 'PGlite in memory';
  console.log(`\nLocal Supabase stand-in on ${backend}
  API URL:          ${standIn.url}
  REST:             ${standIn.url}/rest/v1/rpc/<function>
  Auth:             ${standIn.url}/auth/v1
  anon key:         ${standIn.anonKey}
  service_role key: ${standIn.serviceRoleKey}
Ctrl+C to stop.`);
  const stop = async () => {
    await standIn.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function createAdminCommand(): Promise<void> {
  const { email, password, name } = values;
  if (!email || !password) throw new Error(`--email and --password are required\n${USAGE}`);
  const url = values.url ?? process.env.SUPABASE_URL;
  const serviceKey = values['service-key'] ?? process.env.SUPABASE_SERVICE_ROLE_KEY;
  if (url) {
    if (!serviceKey) throw new Error('--service-key (or SUPABASE_SERVICE_ROLE_KEY) is required with --url');
    const id = await createAdminThroughApi(url, serviceKey, { email, password, ...(name ? { name } : {}) });
    console.log(`✔ ${email} (${id}) is a marketplace admin on ${url}`);
    return;
  }
  const databaseUrl = values['database-url'] ?? process.env.DATABASE_URL;
  const dataDir = values['data-dir'];
  if (!databaseUrl && !dataDir) throw new Error(`say where: --url, --data-dir or --database-url\n${USAGE}`);
  const db = await createDatabase(databaseUrl ? { databaseUrl } : { dataDir: dataDir as string });
  try {
    await applyMigrations(db, { includeLocal: true });
    const { id } = await seedUser(db, {
      email,
      password,
      ...(name ? { displayName: name } : {}),
      admin: true,
    });
    console.log(`✔ ${email} (${id}) is a marketplace admin`);
  } finally {
    await db.close();
  }
}

/** Works against the stand-in and a real Supabase project alike. */
async function createAdminThroughApi(
  url: string,
  serviceKey: string,
  user: { email: string; password: string; name?: string },
): Promise<string> {
  const admin = createClient(url, serviceKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const created = await admin.auth.admin.createUser({
    email: user.email,
    password: user.password,
    email_confirm: true,
    user_metadata: user.name ? { full_name: user.name } : {},
  });
  let id = created.data.user?.id;
  if (!id) {
    if (created.error?.code !== 'email_exists')
      throw new Error(`creating the user failed: ${created.error?.message}`);
    const signIn = await createClient(url, serviceKey, {
      auth: { persistSession: false, autoRefreshToken: false },
    }).auth.signInWithPassword({ email: user.email, password: user.password });
    if (!signIn.data.user) {
      throw new Error(`${user.email} already exists and the password given does not match it`);
    }
    id = signIn.data.user.id;
  }
  const { error } = await admin.rpc('add_marketplace_admin', {
    p_user_id: id,
    p_email: user.email,
    p_display_name: user.name ?? null,
  });
  if (error) throw new Error(`add_marketplace_admin failed: ${error.message}`);
  return id;
}
