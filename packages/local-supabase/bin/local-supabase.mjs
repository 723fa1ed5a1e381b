#!/usr/bin/env node
// `npx local-supabase …`: runs the TypeScript sources through tsx, so the stand-in needs no build
// step (Node cannot run src/cli.ts itself: it is TypeScript inside node_modules, and has no shebang).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
