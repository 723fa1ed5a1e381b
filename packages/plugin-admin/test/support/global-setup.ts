import { startGitHost } from '@cartae/local-git-host';
import type { TestProject } from 'vitest/node';
import { registryText } from '../../../../tests/fixtures/registry-builder.ts';
import { startSupabaseStandIn } from '../../../local-supabase/src/index.ts';

export interface AdminTestStack {
  supabaseUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  /** Serves a valid registry: `/registry.json` (Git layout) and `/api/plugins` (CDN layout). */
  goodSourceUrl: string;
  /** Answers an HTML page with status 200 everywhere, as a misconfigured CDN would. */
  htmlSourceUrl: string;
  /** Answers 500 everywhere. */
  failingSourceUrl: string;
  admin: { email: string; password: string };
  secondAdmin: { email: string; password: string };
  member: { email: string; password: string };
}

/** A second stand-in, for the file that pauses the fleet's automation and writes the alert feed. */
export interface AutomationTestStack {
  supabaseUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  admin: { email: string; password: string };
  member: { email: string; password: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminStack: AdminTestStack;
    automationStack: AutomationTestStack;
  }
}

/**
 * The real components the admin components talk to, started once in Node for the component
 * tier: the Supabase stand-in on in-memory PGlite (all migrations, loopback http allowed) and
 * two loopback sources; and a second stand-in for fleet-automation.test.tsx, whose kill switch
 * and alert feed the other files must not see (test files run in parallel).
 */
export default async function setup(project: TestProject) {
  const [standIn, automation] = await Promise.all([startSupabaseStandIn(), startSupabaseStandIn()]);
  const registry = registryText({ version: 42, plugins: 12 });
  const good = await startGitHost({ files: { '/registry.json': registry, '/api/plugins': registry } });
  const html = await startGitHost({ files: {} });
  html.setBehaviour('*', {
    kind: 'body',
    body: '<!doctype html><h1>Welcome to nginx</h1>',
    contentType: 'text/html',
  });
  const failing = await startGitHost({ files: {} });
  failing.setBehaviour('*', { kind: 'status', status: 500 });
  const admin = { email: 'ada@cartae.test', password: 'ada-password' };
  const secondAdmin = { email: 'grace@cartae.test', password: 'grace-password' };
  const member = { email: 'member@cartae.test', password: 'member-password' };
  await standIn.createUser({ ...admin, displayName: 'Ada Lovelace', admin: true });
  await standIn.createUser({ ...secondAdmin, displayName: 'Grace Hopper', admin: true });
  await standIn.createUser(member);
  await automation.createUser({ ...admin, displayName: 'Ada Lovelace', admin: true });
  await automation.createUser(member);
  project.provide('automationStack', {
    supabaseUrl: automation.url,
    anonKey: automation.anonKey,
    serviceRoleKey: automation.serviceRoleKey,
    admin,
    member,
  });
  project.provide('adminStack', {
    supabaseUrl: standIn.url,
    anonKey: standIn.anonKey,
    serviceRoleKey: standIn.serviceRoleKey,
    goodSourceUrl: good.url,
    htmlSourceUrl: html.url,
    failingSourceUrl: failing.url,
    admin,
    secondAdmin,
    member,
  });
  return async () => {
    await Promise.all([standIn.close(), automation.close(), good.close(), html.close(), failing.close()]);
  };
}
