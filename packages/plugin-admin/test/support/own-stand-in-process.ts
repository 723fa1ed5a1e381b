import { startSupabaseStandIn } from '../../../local-supabase/src/index.ts';

// Run by own-stand-in.ts: a stand-in on in-memory PGlite with the given admins; prints
// {supabaseUrl, anonKey} on one line, and closes on SIGTERM or when the parent goes away.
const admins = JSON.parse(process.argv[2] ?? '[]') as {
  email: string;
  password: string;
  displayName: string;
}[];
const standIn = await startSupabaseStandIn();
for (const admin of admins) await standIn.createUser({ ...admin, admin: true });
console.log(JSON.stringify({ supabaseUrl: standIn.url, anonKey: standIn.anonKey }));
const stop = async () => {
  await standIn.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
