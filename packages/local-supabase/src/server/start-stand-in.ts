import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { seedUser } from '../auth/seed-user.ts';
import { createDatabase } from '../database/create-database.ts';
import type { Database } from '../database/database.ts';
import { applyMigrations } from '../migrations/migrate.ts';
import { createStandInApp } from './create-stand-in-app.ts';
import { resolveJwtSecret } from './jwt-secret.ts';

export interface StandInOptions {
  /** A database to serve (left open on close); else one is opened from the options below. */
  database?: Database;
  /** Real Postgres; else PGlite in `dataDir`, else PGlite in memory. */
  databaseUrl?: string;
  dataDir?: string;
  /** HS256 secret (≥ 32 chars). Default: remembered next to `dataDir`, else random per process. */
  jwtSecret?: string;
  port?: number;
  hostname?: string;
  /** Apply pending migrations (with `supabase/local/`) before serving. Default true. */
  migrate?: boolean;
  accessTokenSeconds?: number;
  log?: (line: string) => void;
}

export interface RunningStandIn {
  url: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
  database: Database;
  /** Creates (or updates) a user with a password; with `admin`, also makes them a marketplace admin. */
  createUser(user: {
    email: string;
    password: string;
    displayName?: string;
    admin?: boolean;
  }): Promise<{ id: string }>;
  close(): Promise<void>;
}

/** Starts the local Supabase stand-in (REST rpc + Auth) on loopback. */
export async function startSupabaseStandIn(options: StandInOptions = {}): Promise<RunningStandIn> {
  const ownsDatabase = !options.database;
  const database =
    options.database ??
    (await createDatabase({
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    }));
  try {
    if (options.migrate !== false) {
      await applyMigrations(database, { includeLocal: true, ...(options.log ? { log: options.log } : {}) });
    }
    const jwtSecret = resolveJwtSecret({
      ...(options.jwtSecret ? { jwtSecret: options.jwtSecret } : {}),
      ...(options.dataDir && !options.databaseUrl ? { secretFile: `${options.dataDir}.jwt-secret` } : {}),
    });
    let url = '';
    const standIn = await createStandInApp({
      db: database,
      jwtSecret,
      publicUrl: () => url,
      ...(options.accessTokenSeconds ? { accessTokenSeconds: options.accessTokenSeconds } : {}),
    });
    const hostname = options.hostname ?? '127.0.0.1';
    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: standIn.app.fetch, port: options.port ?? 0, hostname }, () => resolve(s));
      s.once('error', reject);
    });
    const address = server.address() as AddressInfo;
    url = `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${address.port}`;
    return {
      url,
      anonKey: standIn.anonKey,
      serviceRoleKey: standIn.serviceRoleKey,
      jwtSecret,
      database,
      createUser: (user) => seedUser(database, user),
      async close() {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ('closeAllConnections' in server) server.closeAllConnections();
        });
        if (ownsDatabase) await database.close();
      },
    };
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
}
