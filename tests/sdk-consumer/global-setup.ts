import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { type ConsumerProject, createConsumerProject } from './support/consumer-project.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The packed SDK installed in a project outside the workspace, shared by every test file. */
    consumerProject: ConsumerProject;
  }
}

/**
 * Packs and installs the SDK once for the whole tier (`inject('consumerProject')` in the tests):
 * the README on each Node, the linters on the tarballs and workerd all use the same tarballs.
 * Removes the temporary project when the tier ends.
 */
export default function setup(project: TestProject): () => void {
  const consumer = createConsumerProject();
  project.provide('consumerProject', consumer);
  return () => rmSync(consumer.dir, { recursive: true, force: true });
}
