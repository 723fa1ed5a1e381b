import type { TestProject } from 'vitest/node';
import { applyMigrations, createPostgresDatabase } from '../../../packages/local-supabase/src/index.ts';
import { startPostgresCluster } from './postgres-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the throwaway cluster's `postgres` database; test files clone `cartae_template`. */
    postgresAdminUrl: string;
  }
}

/**
 * Starts one real PostgreSQL 15 cluster for the whole database tier and prepares a template
 * database with every migration applied, so each test file gets its own copy in milliseconds.
 */
export default async function setup(project: TestProject) {
  const cluster = await startPostgresCluster();
  const admin = createPostgresDatabase(cluster.url('postgres'), { max: 1 });
  await admin.exec('create database cartae_template');
  await admin.close();
  const template = createPostgresDatabase(cluster.url('cartae_template'), { max: 1 });
  await applyMigrations(template, { includeLocal: true });
  await template.close();
  project.provide('postgresAdminUrl', cluster.url('postgres'));
  return () => cluster.stop();
}
