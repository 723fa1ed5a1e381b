import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What `up` writes so the other commands work against the local stack without flags. */
export interface LocalStackInfo {
  supabaseUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  admin: { email: string; password: string };
  gitUrl: string;
  workerUrl: string;
  adminPanelUrl: string;
  webAppUrl: string;
  adminToken: string;
  startedAt: string;
  pid: number;
}

export function localStackFile(dataDir: string): string {
  return join(dataDir, 'local-stack.json');
}

export function writeLocalStack(dataDir: string, info: LocalStackInfo): void {
  const file = localStackFile(dataDir);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
}

/** The running local stack's details, if `up` is running (its pid is alive). */
export function readLocalStack(dataDir: string): LocalStackInfo | undefined {
  const file = localStackFile(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as LocalStackInfo;
    process.kill(info.pid, 0);
    return info;
  } catch {
    return undefined;
  }
}
